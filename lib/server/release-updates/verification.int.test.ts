import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pino from "pino";
import { db } from "../../db";
import { AppError } from "../../errors";
import { resetDatabase } from "../../../test/reset";
import { makeSigner, type TSigner } from "../../../test/signers";
import { makeApprovedRecord } from "../../../test/update-verification";
import { opensslFingerprint, startTlsServers, type TTlsServers } from "../../../test/tls-servers";
import { makeCa, makeSigner as makeCert } from "../../../test/update-corpus";
import type { THandlerCtx } from "../../../workers/handlers/context";
import { HOST_REMOVED, runHttpsCheck } from "../../../workers/handlers/https-check";
import { allowHttpsHost, listHttpsHosts, removeHttpsHost } from "./allowed-hosts";
import { listHttpsChecks, requestHttpsCheck } from "./https-check";
import { recordSeriesEvidence } from "./evidence";
import { expectShape } from "../../../test/api-shape";
import { ZHttpsCheck, ZSeriesEvidence } from "../../api/openapi-update-verification";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// Per-series verification (S3): the allow-list, the HTTPS check from request to
// the worker's result (through its outbox row), and the ACME and smoke evidence.

let t: TTlsServers;
let admin: TSigner;
let tester: TSigner;
let submitter: TSigner;

const ctx: THandlerCtx = {
  smtpUrl: "smtp://127.0.0.1:1",
  mailFrom: "patchgate@portal.example.org",
  publicUrl: "https://patchgate.example.org",
  secret: () => undefined,
  log: pino({ level: "silent" }),
  timeoutMs: 3_000,
  httpsCheckTimeoutMs: 3_000,
};

beforeAll(async () => {
  t = await startTlsServers();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await resetDatabase();
  [admin, tester, submitter] = await Promise.all([
    makeSigner(["ADMIN"]),
    makeSigner(["TESTER"]),
    makeSigner(["ASSESSOR", "TESTER"]),
  ]);
});

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const audit = (action: string) =>
  db.auditEvent.findMany({ where: { action }, orderBy: { seq: "asc" } });

/** The check's outbox row run by the worker's handler, as the runtime would. */
async function runWorker(checkId: string) {
  const row = await db.outbox.findUniqueOrThrow({
    where: { dedupeKey: `update.https-check:${checkId}` },
  });
  await runHttpsCheck(ctx, row.id, { checkId });
  return row.id;
}

describe("the HTTPS-check allow-list", () => {
  it("an admin adds and removes exact hosts, each with its audit event; others may only read", async () => {
    const r = await allowHttpsHost({ actor: admin, host: " LocalHost ", note: "test servers" });
    expect(r).toMatchObject({ created: true, entry: { host: "localhost", note: "test servers" } });
    expect((await allowHttpsHost({ actor: admin, host: "localhost" })).created).toBe(false);
    expect((await listHttpsHosts({ actor: tester })).map((h) => h.host)).toEqual(["localhost"]);
    expect((await refusal(allowHttpsHost({ actor: tester, host: "example.org" }))).code).toBe(
      "FORBIDDEN",
    );
    await expect(allowHttpsHost({ actor: admin, host: "*.example.org" })).rejects.toThrow(
      /no wildcard/,
    );
    await expect(allowHttpsHost({ actor: admin, host: "example.org:443" })).rejects.toThrow(
      /without scheme, port/,
    );
    await removeHttpsHost({ actor: admin, host: "localhost" });
    expect((await refusal(removeHttpsHost({ actor: admin, host: "localhost" }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await audit("https-host.allowed")).map((e) => e.payload)).toEqual([
      { host: "localhost", note: "test servers" },
    ]);
    expect((await audit("https-host.removed")).map((e) => e.payload)).toEqual([
      { host: "localhost" },
    ]);
    expect(await listHttpsHosts({ actor: tester })).toEqual([]);
  });
});

describe("the HTTPS check", () => {
  it("refuses a host not on the allow-list before writing or connecting anything", async () => {
    const { record } = await makeApprovedRecord(submitter);
    const before = t.seen.connections;
    const e = await refusal(
      requestHttpsCheck({ actor: tester, id: record.id, series: "jammy", url: t.urls.valid }),
    );
    expect(e.code).toBe("FORBIDDEN");
    expect(e.message).toBe(
      "localhost is not on the HTTPS-check allow-list; an admin adds it under Admin → HTTPS hosts.",
    );
    expect(await db.httpsCheck.count()).toBe(0);
    expect(await db.outbox.count({ where: { kind: "update.https-check" } })).toBe(0);
    expect(await audit("update.https-check-requested")).toEqual([]);
    expect(t.seen.connections).toBe(before);
  });

  it("refuses http, user info, a bad bundle, an unapproved record, another series and non-testers", async () => {
    const { record } = await makeApprovedRecord(submitter);
    await allowHttpsHost({ actor: admin, host: "localhost" });
    const base = { actor: tester, id: record.id, series: "jammy" };
    const http = await refusal(
      requestHttpsCheck({ ...base, url: t.urls.valid.replace("https", "http") }),
    );
    expect([http.code, http.message]).toEqual(["VALIDATION", "only https URLs are checked"]);
    await expect(
      requestHttpsCheck({ ...base, url: t.urls.valid.replace("https://", "https://u:p@") }),
    ).rejects.toThrow(/no user name or password/);
    await expect(
      requestHttpsCheck({ ...base, url: t.urls.valid, caBundle: "not a certificate" }),
    ).rejects.toThrow(/at least one certificate/);
    await expect(
      requestHttpsCheck({ ...base, url: t.urls.valid, caBundle: "x".repeat(256 * 1024 + 1) }),
    ).rejects.toThrow(/at most 256 KiB/);
    await expect(
      requestHttpsCheck({ ...base, series: "bionic", url: t.urls.valid }),
    ).rejects.toThrow(/targets focal, jammy, noble, not bionic/);
    expect(
      (await refusal(requestHttpsCheck({ ...base, actor: admin, url: t.urls.valid }))).code,
    ).toBe("FORBIDDEN");
    await db.updateRecord.update({ where: { id: record.id }, data: { state: "SUBMITTED" } });
    const e = await refusal(requestHttpsCheck({ ...base, url: t.urls.valid }));
    expect(e.code).toBe("CONFLICT");
    expect(e.message).toMatch(/is submitted, not approved/);
    expect(await db.httpsCheck.count()).toBe(0);
  });

  it("a valid server: requested, then checked by the worker through the outbox, once", async () => {
    const { record } = await makeApprovedRecord(submitter);
    await allowHttpsHost({ actor: admin, host: "localhost" });
    const check = await requestHttpsCheck({
      actor: tester,
      id: record.id,
      series: "jammy",
      url: t.urls.valid,
      caBundle: t.ca.pem,
    });
    expect(check).toMatchObject({
      state: "PENDING",
      revision: 1,
      series: "jammy",
      server: "apache",
      host: "localhost",
      port: Number(new URL(t.urls.valid).port),
      trust: "bundle",
      ok: null,
    });
    expect((await audit("update.https-check-requested")).map((e) => e.payload)).toEqual([
      {
        number: record.number,
        revision: 1,
        series: "jammy",
        server: "apache",
        checkId: check.id,
        url: t.urls.valid,
      },
    ]);
    const outboxId = await runWorker(check.id);
    const [seen] = await listHttpsChecks({ actor: tester, id: record.id, series: "jammy" });
    expect(seen).toMatchObject({
      id: check.id,
      state: "CHECKED",
      subject: "CN=localhost, O=Certbot test",
      sans: ["DNS:localhost"],
      issuer: "CN=Certbot Test CA, O=Patchgate tests",
      notBefore: t.certs.valid.notBefore.toISOString(),
      notAfter: t.certs.valid.notAfter.toISOString(),
      sha256: opensslFingerprint(t.certs.valid),
      hostValid: true,
      chainValid: true,
      ok: true,
      reason: "",
    });
    expectShape(ZHttpsCheck, check);
    expectShape(ZHttpsCheck, seen);
    expect((await db.outbox.findUniqueOrThrow({ where: { id: outboxId } })).state).toBe("DONE");
    // Run again (a duplicate delivery): nothing is connected to or written twice.
    const connections = t.seen.connections;
    await runHttpsCheck(ctx, outboxId, { checkId: check.id });
    expect(t.seen.connections).toBe(connections);
    expect((await audit("update.https-checked")).map((e) => e.payload)).toEqual([
      { checkId: check.id, ok: true, sha256: opensslFingerprint(t.certs.valid), reason: "" },
    ]);
    // apache is done on this revision: the next check without a server is nginx's.
    const next = await requestHttpsCheck({
      actor: tester,
      id: record.id,
      series: "jammy",
      url: t.urls.valid,
    });
    expect(next.server).toBe("nginx");
    expect(next.trust).toBe("system");
    expect(t.seen.requests).toBe(0);
  });

  it.each([
    ["wrongHost", { hostValid: false, chainValid: true }, /not valid for localhost/],
    ["expired", { hostValid: true, chainValid: false }, /the certificate expired on/],
    ["selfSigned", { hostValid: true, chainValid: false }, /self-signed certificate/],
  ] as const)("%s: the worker records the facts and why not ok", async (which, verdict, reason) => {
    const { record } = await makeApprovedRecord(submitter);
    await allowHttpsHost({ actor: admin, host: "localhost" });
    const check = await requestHttpsCheck({
      actor: tester,
      id: record.id,
      series: "focal",
      url: t.urls[which],
      caBundle: t.ca.pem,
      server: "nginx",
    });
    await runWorker(check.id);
    const row = await db.httpsCheck.findUniqueOrThrow({ where: { id: check.id } });
    expect(row).toMatchObject({ state: "CHECKED", server: "nginx", ok: false, ...verdict });
    expect(row.sha256).toBe(opensslFingerprint(t.certs[which]));
    expect(row.reason).toMatch(reason);
  });

  it("a host removed from the allow-list after the request is not contacted", async () => {
    const { record } = await makeApprovedRecord(submitter);
    await allowHttpsHost({ actor: admin, host: "localhost" });
    const check = await requestHttpsCheck({
      actor: tester,
      id: record.id,
      series: "noble",
      url: t.urls.valid,
      caBundle: t.ca.pem,
    });
    await removeHttpsHost({ actor: admin, host: "localhost" });
    const before = t.seen.connections;
    await runWorker(check.id);
    expect(t.seen.connections).toBe(before);
    expect(await db.httpsCheck.findUniqueOrThrow({ where: { id: check.id } })).toMatchObject({
      state: "CHECKED",
      ok: false,
      hostValid: null,
      chainValid: null,
      sha256: null,
      reason: HOST_REMOVED,
    });
  });
});

describe("ACME and smoke-test evidence", () => {
  const DAY = 86_400_000;

  it("records the ACME certificate's facts and verdict, and the smoke test's link and result", async () => {
    const { record } = await makeApprovedRecord(submitter);
    const base = {
      actor: tester,
      id: record.id,
      series: "jammy",
      kind: "acme" as const,
      acmeServer: "https://acme-staging-v02.api.letsencrypt.org/directory",
    };
    const ok = await recordSeriesEvidence({
      ...base,
      domain: "localhost",
      certificate: t.certs.valid.pem,
    });
    expect(ok).toMatchObject({
      kind: "acme",
      revision: 1,
      ok: true,
      reason: "",
      facts: {
        domain: "localhost",
        acmeServer: base.acmeServer,
        certificate: {
          subject: "CN=localhost, O=Certbot test",
          sans: ["DNS:localhost"],
          issuer: "CN=Certbot Test CA, O=Patchgate tests",
          notBefore: t.certs.valid.notBefore.toISOString(),
          notAfter: t.certs.valid.notAfter.toISOString(),
          sha256: opensslFingerprint(t.certs.valid),
        },
      },
    });
    expectShape(ZSeriesEvidence, ok);
    const wrong = await recordSeriesEvidence({
      ...base,
      domain: "certbot.example.org",
      certificate: t.certs.valid.pem,
    });
    expect(wrong).toMatchObject({ ok: false });
    expect(wrong.reason).toBe(
      "the certificate is not valid for certbot.example.org (it names DNS:localhost)",
    );
    const expired = await recordSeriesEvidence({
      ...base,
      domain: "localhost",
      certificate: t.certs.expired.pem,
    });
    expect(expired.reason).toBe(
      `the certificate expired on ${t.certs.expired.notAfter.toISOString()}`,
    );
    await expect(
      recordSeriesEvidence({ ...base, domain: "localhost", certificate: "no PEM here" }),
    ).rejects.toThrow(/the PEM certificate the ACME server issued/);
    await expect(
      recordSeriesEvidence({
        ...base,
        acmeServer: "http://acme.example.org/directory",
        domain: "localhost",
        certificate: t.certs.valid.pem,
      }),
    ).rejects.toThrow(/https URL of the ACME directory/);

    const smoke = { actor: tester, id: record.id, series: "jammy", kind: "smoke" as const };
    const url = "https://ubuntu-archive-team.ubuntu.com/pending-sru.html";
    expect(await recordSeriesEvidence({ ...smoke, url, result: "pass" })).toMatchObject({
      kind: "smoke",
      facts: { url, result: "pass" },
      ok: true,
    });
    expect(await recordSeriesEvidence({ ...smoke, url, result: "fail" })).toMatchObject({
      ok: false,
      reason: "the dep8 smoke test failed",
    });
    await expect(
      recordSeriesEvidence({ ...smoke, url: "ftp://example.org/log", result: "pass" }),
    ).rejects.toThrow(/an http\(s\) link/);
    expect((await audit("update.evidence-recorded")).map((e) => e.payload)).toEqual(
      [
        ["ACME", true],
        ["ACME", false],
        ["ACME", false],
        ["SMOKE", true],
        ["SMOKE", false],
      ].map(([kind, okay]) => ({
        number: record.number,
        revision: 1,
        series: "jammy",
        kind,
        evidenceId: expect.any(String),
        ok: okay,
      })),
    );
  });

  it("a certificate not yet valid is not ok either", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pg-acme-"));
    const now = Math.floor(Date.now() / 1000) * 1000;
    const ca = makeCa({
      dir,
      name: "ca",
      subject: "CN=ACME Test CA",
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 365 * DAY),
    });
    const future = makeCert({
      dir,
      name: "future",
      subject: "CN=localhost",
      notBefore: new Date(now + 5 * DAY),
      notAfter: new Date(now + 90 * DAY),
      ca,
      extensions: "tls-localhost",
    });
    const { record } = await makeApprovedRecord(submitter);
    const r = await recordSeriesEvidence({
      actor: tester,
      id: record.id,
      series: "noble",
      kind: "acme",
      domain: "localhost",
      acmeServer: "https://acme.example.org/directory",
      certificate: future.pem,
    });
    expect(r.ok).toBe(false);
    expect(r.reason).toBe(`the certificate is not valid before ${future.notBefore.toISOString()}`);
  });

  it("the submitter of the revision may not record its evidence; nor on an unapproved record", async () => {
    const { record } = await makeApprovedRecord(submitter);
    const input = {
      id: record.id,
      series: "jammy",
      kind: "smoke" as const,
      url: "https://autopkgtest.ubuntu.com/packages/p/python-certbot",
      result: "pass" as const,
    };
    const own = await refusal(recordSeriesEvidence({ ...input, actor: submitter }));
    expect(own.code).toBe("FORBIDDEN");
    expect(own.message).toMatch(/You submitted revision 1/);
    expect((await refusal(recordSeriesEvidence({ ...input, actor: admin }))).code).toBe(
      "FORBIDDEN",
    );
    await db.updateRecord.update({ where: { id: record.id }, data: { state: "DRAFT" } });
    expect((await refusal(recordSeriesEvidence({ ...input, actor: tester }))).code).toBe(
      "CONFLICT",
    );
    expect(await db.seriesEvidence.count()).toBe(0);
  });
});
