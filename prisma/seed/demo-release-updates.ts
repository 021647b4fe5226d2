// The demo's stable release update (issue 14, the seed ubuntu-sru-certbot.txt):
// the Certbot family SRU to 2.11.0 for focal, jammy and noble, written from the
// seed's SRU template (CERTBOT_SRU_TEMPLATE) by Dana, with one major change
// that is not backwards compatible; submitted and signed, the change
// acknowledged by Ada, approved by Ada and Bert; focal verified by Tara and
// jammy by Theo (ACME certificate, dep8 result, apache and nginx over HTTPS,
// a signed update-verify); noble still needed. localhost is on the HTTPS
// allow-list so a visitor can run a check against a server of their own.
//
// Everything goes through the use-cases and the demo people's keys; the HTTPS
// checks are requested through theirs, but the demo has no apache or nginx to
// connect to, so the result is written as the worker writes it (CHECKED, the
// facts of a certificate made here with openssl for the demo's test host, its
// outbox row done and its audit event).
// Idempotent: an existing update with this title is left alone.
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { db, type Tx } from "../../lib/db";
import type { Prisma } from "../../lib/generated/prisma/client";
import { WORKER_ACTOR } from "../../lib/auth/actor";
import { appendAuditEvent } from "../../lib/server/audit/append-event";
import { requestHttpsCheck } from "../../lib/server/release-updates/https-check";
import { CERTBOT_SRU_TEMPLATE } from "../../lib/domain/sru-template";
import { saveTemplate } from "../../lib/server/release-updates/templates";
import { createUpdate } from "../../lib/server/release-updates/create-update";
import { editUpdate } from "../../lib/server/release-updates/edit-update";
import {
  issueUpdateStatement,
  recordUpdateSignoff,
} from "../../lib/server/release-updates/update-statements";
import { recordSeriesEvidence } from "../../lib/server/release-updates/evidence";
import { allowHttpsHost } from "../../lib/server/release-updates/allowed-hosts";
import { demoSigner, type TDemoKeys, type TDemoSigner } from "./demo-signers";

export const DEMO_UPDATE_TITLE = "certbot 2.11.0: Certbot family SRU for focal, jammy and noble";
const PACKAGES = ["python-acme", "python-certbot", "python-certbot-apache", "python-certbot-nginx"];
const VERSION = "2.11.0";
const SERIES = ["focal", "jammy", "noble"];
const TEST_HOST = "sru-test.demo.patchgate.org";

export const DEMO_UPDATE_SECTIONS: Record<string, string> = {
  Introduction:
    `This bug tracks an update for the Certbot family of packages, version ${VERSION}.\n\n` +
    "This update includes new features following the SRU policy exception defined at https://wiki.ubuntu.com/StableReleaseUpdates/Certbot.",
  Impact:
    "Not directly applicable; see the exception policy document at https://wiki.ubuntu.com/StableReleaseUpdates/Certbot\n\n" +
    "Let's Encrypt is ending OCSP and moving to shorter-lived certificates. certbot 2.11 renews " +
    "inside the ACME renewal information (ARI) window the CA announces, so certificates on the " +
    "stable releases keep renewing in time.",
  "Major Changes":
    "- `certbot renew` follows the ACME renewal information (ARI) window when the CA offers one, and falls back to 30 days before expiry.\n" +
    "- The `--must-staple` option is removed: a cron job or script that still passes it now stops with an error. This is not backwards compatible.\n" +
    "- python-acme drops the deprecated `crypto_util.probe_sni` helper; nothing in the archive uses it.\n" +
    "- The nginx plugin understands `ssl_certificate` directives inside `include`d files.",
  "Regression Potential":
    "Upstream performs extensive testing before release, giving us a high degree of confidence in the general case. There problems are most likely to manifest in Ubuntu-specific integrations, such as in relation to the versions of dependencies available and other packaging-specific matters.\n\n" +
    "Renewal hooks that parse certbot's log lines may see the new ARI messages; the apache and nginx plugins are exercised by the HTTPS checks on each series.",
};

/** A CA and a certificate for the demo's test host, made with openssl (as an ACME CA would issue it). */
function testHostCertificate(dir: string) {
  const f = (n: string) => path.join(dir, n);
  const run = (args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  run([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "3650",
    "-subj",
    "/C=US/O=(STAGING) Let's Encrypt/CN=(STAGING) Demo Root",
    "-keyout",
    f("ca.key"),
    "-out",
    f("ca.pem"),
  ]);
  run([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    `/CN=${TEST_HOST}`,
    "-keyout",
    f("host.key"),
    "-out",
    f("host.csr"),
  ]);
  writeFileSync(f("ext"), `subjectAltName=DNS:${TEST_HOST}\nextendedKeyUsage=serverAuth\n`);
  run([
    "x509",
    "-req",
    "-in",
    f("host.csr"),
    "-CA",
    f("ca.pem"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-days",
    "90",
    "-extfile",
    f("ext"),
    "-out",
    f("host.pem"),
  ]);
  return { ca: readFileSync(f("ca.pem"), "utf8"), cert: readFileSync(f("host.pem"), "utf8") };
}

/**
 * What the worker writes after its TLS handshake (workers/handlers/https-check.ts): the
 * check CHECKED with the certificate presented, its outbox row done, the audit event.
 */
async function recordAsTheWorker(
  checkId: string,
  seen: Pick<
    Prisma.HttpsCheckUpdateManyMutationInput,
    "subject" | "issuer" | "notBefore" | "notAfter" | "sha256"
  > & { sans: string[] },
) {
  await db.$transaction(async (tx: Tx) => {
    const check = await tx.httpsCheck.update({
      where: { id: checkId },
      data: {
        ...seen,
        state: "CHECKED",
        checkedAt: new Date(),
        hostValid: true,
        chainValid: true,
        ok: true,
        reason: "",
      },
    });
    await tx.outbox.updateMany({
      where: { dedupeKey: `update.https-check:${checkId}` },
      data: { state: "DONE", doneAt: new Date(), lastError: null },
    });
    await appendAuditEvent(tx, {
      actor: WORKER_ACTOR,
      action: "update.https-checked",
      subjectType: "update",
      subjectId: check.updateId,
      payload: { checkId, ok: true, sha256: check.sha256, reason: "" },
    });
  });
}

async function signed(
  who: TDemoSigner,
  input: {
    id: string;
    kind: string;
    verdict?: string;
    series?: string;
    change?: number;
    versions?: Record<string, string>;
    comment?: string;
  },
) {
  const { statement } = await issueUpdateStatement({ actor: who.actor, ...input });
  await recordUpdateSignoff({
    actor: who.actor,
    id: input.id,
    statement,
    signature: await who.sign(statement),
  });
}

export async function seedDemoReleaseUpdates(keys: TDemoKeys) {
  if (await db.updateRecord.findFirst({ where: { title: DEMO_UPDATE_TITLE } })) return;
  const paula = await demoSigner("admin@demo.patchgate.org", keys);
  const dana = await demoSigner("dev@demo.patchgate.org", keys);
  const ada = await demoSigner("ada@demo.patchgate.org", keys);
  const bert = await demoSigner("bert@demo.patchgate.org", keys);
  const testers = {
    focal: await demoSigner("tara@demo.patchgate.org", keys),
    jammy: await demoSigner("theo@demo.patchgate.org", keys),
  };

  await saveTemplate({ actor: paula.actor, ...CERTBOT_SRU_TEMPLATE });
  if (!(await db.httpsAllowedHost.findUnique({ where: { host: "localhost" } })))
    await allowHttpsHost({
      actor: paula.actor,
      host: "localhost",
      note: "a tester's own apache or nginx on this machine",
    });

  const { id } = await createUpdate({
    actor: dana.actor,
    template: CERTBOT_SRU_TEMPLATE.slug,
    system: "webdb",
    title: DEMO_UPDATE_TITLE,
    packages: PACKAGES,
    version: VERSION,
    series: SERIES,
    bugId: "2081234",
  });
  await editUpdate({ actor: dana.actor, id, sections: DEMO_UPDATE_SECTIONS });
  await signed(dana, { id, kind: "update-submit" });

  await signed(ada, {
    id,
    kind: "update-major-ack",
    change: 2,
    comment:
      "Scripts passing --must-staple stop with a clear error instead of renewing wrongly; " +
      "Let's Encrypt no longer honours must-staple. Fit to reach users automatically.",
  });
  await signed(ada, {
    id,
    kind: "update-review",
    verdict: "approve",
    comment: "Follows the Certbot SRU exception; the test plan covers apache and nginx.",
  });
  await signed(bert, {
    id,
    kind: "update-review",
    verdict: "approve",
    comment: "Checked the changelog from the versions in the archive; fine.",
  });

  const dir = mkdtempSync(path.join(tmpdir(), "patchgate-demo-sru-"));
  try {
    const crt = testHostCertificate(dir);
    const x = new X509Certificate(crt.cert);
    if (!(await db.httpsAllowedHost.findUnique({ where: { host: TEST_HOST } })))
      await allowHttpsHost({
        actor: paula.actor,
        host: TEST_HOST,
        note: "the release-update team's apache and nginx test host",
      });
    for (const [series, tester] of Object.entries(testers)) {
      await recordSeriesEvidence({
        actor: tester.actor,
        id,
        series,
        kind: "acme",
        domain: TEST_HOST,
        acmeServer: "https://acme-staging-v02.api.letsencrypt.org/directory",
        certificate: crt.cert,
      });
      await recordSeriesEvidence({
        actor: tester.actor,
        id,
        series,
        kind: "smoke",
        url: `https://autopkgtest.ubuntu.com/packages/p/python-certbot/${series}/amd64`,
        result: "pass",
      });
      for (const [server, port] of [
        ["apache", 443],
        ["nginx", 8443],
      ] as const) {
        const check = await requestHttpsCheck({
          actor: tester.actor,
          id,
          series,
          server,
          url: `https://${TEST_HOST}:${port}/`,
          caBundle: crt.ca,
        });
        await recordAsTheWorker(check.id, {
          subject: x.subject.replace(/\n/g, ", "),
          sans: [TEST_HOST],
          issuer: x.issuer.replace(/\n/g, ", "),
          notBefore: new Date(x.validFrom),
          notAfter: new Date(x.validTo),
          sha256: x.fingerprint256.replace(/:/g, "").toLowerCase(),
        });
      }
      await signed(tester, {
        id,
        kind: "update-verify",
        verdict: "pass",
        series,
        versions: Object.fromEntries(
          PACKAGES.map((p) => [
            p,
            `${VERSION}-0ubuntu1~${series === "focal" ? "20.04" : "22.04"}.1`,
          ]),
        ),
        comment:
          `Verified on ${series}: certificate for ${TEST_HOST} obtained from the Let's Encrypt staging ACME server, ` +
          `apache and nginx serve it over HTTPS, dep8 smoke test passed. ` +
          PACKAGES.map(
            (p) => `${p} ${VERSION}-0ubuntu1~${series === "focal" ? "20.04" : "22.04"}.1`,
          ).join(", ") +
          ".",
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log("seeded the certbot SRU: approved, focal and jammy verified, noble needed");
}
