import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { env } from "../../env";
import { CLI_BOOTSTRAP, WORKER_ACTOR } from "../../auth/actor";
import { sha256Hex } from "../../crypto/hash";
import { resetDatabase } from "../../../test/reset";
import { makePerson, makeToken } from "../../../test/factories";
import { makeInstallation, pemCertificates } from "../../../test/updates";
import { makeCorpus, opensslVerify, type TCorpus } from "../../../test/update-corpus";
import { receivePackage } from "./receive-package";
import { reverifyPackage } from "./reverify-package";
import { getPackage, listPackages } from "./package-queries";
import { loadPackageContent, packageContent } from "./package-content";
import { removeCertificate, trustCertificate } from "./certificates";
import { getInstallation } from "./installations";
import { expectShape } from "../../../test/api-shape";
import {
  ZPackage,
  ZPackageSummary,
  ZPackageVerdict,
  ZQuarantined,
} from "../../api/openapi-updates";
import { GET as contentGet } from "@/app/api/v1/packages/[id]/content/route";

let corpus: TCorpus;

beforeAll(async () => {
  corpus = await makeCorpus(mkdtempSync(path.join(tmpdir(), "patchgate-receive-")));
}, 60_000);
afterAll(() => rmSync(corpus.dir, { recursive: true, force: true }));
beforeEach(resetDatabase);

const file = (p: string) => new Uint8Array(readFileSync(p));

describe("receivePackage", () => {
  it("gives every CMS corpus file openssl's verdict, with a reason an admin can act on", async () => {
    for (const [name, c] of Object.entries(corpus.packages)) {
      const i = await makeInstallation({ trusted: c.trusted });
      const openssl = opensslVerify({
        file: c.path,
        inform: c.inform,
        trusted: c.trusted,
        content: c.content,
      });
      const r = await receivePackage({
        actor: CLI_BOOTSTRAP,
        slug: i.slug,
        channel: "API",
        fileName: path.basename(c.content ?? c.path),
        data: file(c.content ?? c.path),
        signature: c.content ? file(c.path) : undefined,
      });
      expect(r.state, `${name}: ${c.about}\n${r.reason}`).toBe(
        openssl.ok ? "VERIFIED" : "QUARANTINED",
      );
      expect(r.state, name).toBe(c.expect);
      if (openssl.ok) {
        expect(r.reason, name).toBeNull();
        expect(Buffer.from(await packageContent({ actor: CLI_BOOTSTRAP, id: r.id }))).toEqual(
          openssl.out,
        );
        expect(r.contentSha256).toBe(sha256Hex(openssl.out!));
      } else {
        for (const word of c.reasonWords)
          expect(r.reason!.toLowerCase(), `${name}: ${r.reason}`).toContain(word.toLowerCase());
      }
    }
  }, 120_000);

  it("verifies OpenPGP packages against the vendor keys", async () => {
    for (const [name, c] of Object.entries(corpus.pgp.cases)) {
      const i = await makeInstallation({ pgpKeys: c.pgpKeys });
      const r = await receivePackage({
        actor: CLI_BOOTSTRAP,
        slug: i.slug,
        channel: "API",
        fileName: "os4x_update.sh.gpg",
        data: c.data,
        signature: c.signature,
      });
      expect(r.state, `${name}: ${r.reason}`).toBe(c.expect);
      for (const word of c.reasonWords) expect(r.reason!, name).toContain(word);
    }
  }, 60_000);

  it("keeps every file, answers its verdict and records the channel it came through", async () => {
    const admin = await makePerson(["CRITICAL_ADMIN"]);
    const i = await makeInstallation({ trusted: corpus.trusted.vendor, actor: admin });
    const valid = file(corpus.packages.validDer.path);
    const results = [];
    for (const channel of ["BROWSER", "API", "INBOX"] as const)
      results.push(
        await receivePackage({
          actor: channel === "INBOX" ? WORKER_ACTOR : admin,
          slug: i.slug,
          channel,
          fileName: "os4x3_full_pe_Linux-x86.sh.signed",
          data: valid,
          inboxKey: channel === "INBOX" ? `${i.slug}/OS4X_UPDATE/${sha256Hex(valid)}` : undefined,
        }),
      );
    for (const r of results)
      expect(r).toEqual({
        id: expect.any(String),
        state: "VERIFIED",
        reason: null,
        signer: {
          subject: "CN=c-works software update 2026, O=c-works",
          issuer: "CN=c-works software update CA, O=c-works",
          notAfter: corpus.signers.valid.notAfter.toISOString(),
        },
        contentSha256: sha256Hex(corpus.content),
        bytes: valid.length,
      });
    const listed = await listPackages({ actor: admin, slug: i.slug });
    expect(listed.map((p) => p.channel).sort()).toEqual(["API", "BROWSER", "INBOX"]);
    const rows = await db.updatePackage.findMany({ orderBy: { receivedAt: "asc" } });
    expect(rows.map((r) => [r.channel, r.uploadedById])).toEqual([
      ["BROWSER", admin.id],
      ["API", admin.id],
      ["INBOX", null],
    ]);
    expect(Buffer.from(rows[0].data)).toEqual(Buffer.from(valid));
    const audit = await db.auditEvent.findMany({
      where: { subjectId: results[0].id },
      orderBy: { seq: "asc" },
    });
    expect(audit.map((e) => e.action)).toEqual(["package.received", "package.verdict"]);
    expect(audit[1].payload).toMatchObject({
      state: "VERIFIED",
      certificates: [i.certificates[0]?.sha256 ?? expect.any(String)],
    });
  });

  it("keeps a file that is no signed package at all: 201-worthy, QUARANTINED, never offered", async () => {
    const i = await makeInstallation({ trusted: corpus.trusted.vendor });
    const r = await receivePackage({
      actor: CLI_BOOTSTRAP,
      slug: i.slug,
      channel: "API",
      fileName: "notes\u202Etxt.sh",
      data: new Uint8Array(Buffer.from("just some text\n")),
    });
    expect(r).toMatchObject({
      state: "QUARANTINED",
      reason: expect.stringContaining("not a signed package"),
      signer: null,
      bytes: 15,
    });
    const pkg = await getPackage({ actor: CLI_BOOTSTRAP, id: r.id });
    expect(pkg).toMatchObject({ fileName: "notes_txt.sh", format: "unknown", update: null });
    await expect(packageContent({ actor: CLI_BOOTSTRAP, id: r.id })).rejects.toMatchObject({
      code: "CONFLICT",
      status: 409,
      message: r.reason,
    });
    // An empty file is kept too.
    const empty = await receivePackage({
      actor: CLI_BOOTSTRAP,
      slug: i.slug,
      channel: "API",
      fileName: "",
      data: new Uint8Array(0),
    });
    expect(empty.state).toBe("QUARANTINED");
    expect(await db.updatePackage.count()).toBe(2);
  });

  it("refuses a package past MAX_PACKAGE_BYTES with 413 and keeps nothing", async () => {
    const i = await makeInstallation({ trusted: corpus.trusted.vendor });
    await expect(
      receivePackage({
        actor: CLI_BOOTSTRAP,
        slug: i.slug,
        channel: "API",
        fileName: "huge.sh.signed",
        data: new Uint8Array(env().MAX_PACKAGE_BYTES + 1),
      }),
    ).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE", status: 413 });
    expect(await db.updatePackage.count()).toBe(0);
  });

  it("is for package:manage only, and names a missing installation", async () => {
    const assessor = await makePerson(["ASSESSOR"]);
    const i = await makeInstallation({ trusted: corpus.trusted.vendor });
    await expect(
      receivePackage({
        actor: assessor,
        slug: i.slug,
        channel: "API",
        fileName: "x",
        data: new Uint8Array(1),
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      receivePackage({
        actor: CLI_BOOTSTRAP,
        slug: "no-such",
        channel: "API",
        fileName: "x",
        data: new Uint8Array(1),
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.updatePackage.count()).toBe(0);
  });

  it("takes a drop-directory file in once, however often it is offered", async () => {
    const i = await makeInstallation({ trusted: corpus.trusted.vendor, mode: "automatic" });
    const data = file(corpus.packages.validDer.path);
    const inboxKey = `${i.slug}/OS4X_UPDATE/${sha256Hex(data)}`;
    const offer = () =>
      receivePackage({
        actor: WORKER_ACTOR,
        slug: i.slug,
        channel: "INBOX",
        fileName: "OS4X_UPDATE",
        data,
        inboxKey,
      });
    const [a, b] = await Promise.all([offer(), offer()]);
    const c = await offer();
    expect(new Set([a.id, b.id, c.id]).size).toBe(1);
    expect(await db.updatePackage.count()).toBe(1);
    expect(await db.packageVerdict.count()).toBe(1);
    expect(await db.packageUpdate.count()).toBe(1);
  });
});

describe("quarantine and re-verification", () => {
  it("quarantines a package of an outdated certificate; replacing it and re-verifying opens the update", async () => {
    const admin = await makePerson(["CRITICAL_ADMIN"]);
    const assessor = await makePerson(["ASSESSOR"]);
    const i = await makeInstallation({ trusted: corpus.trusted.oldVendor, actor: admin });
    const r = await receivePackage({
      actor: admin,
      slug: i.slug,
      channel: "BROWSER",
      fileName: "os4x3_full_pe_Linux-x86.sh.signed",
      data: file(corpus.packages.validDer.path),
    });
    expect(r.state).toBe("QUARANTINED");
    expectShape(ZPackageVerdict, r);
    expect(r.reason).toContain("probably not the current one");
    expect(r.reason).toContain(`Installations → ${i.name} → Trusted certificates`);
    await expect(packageContent({ actor: assessor, id: r.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: r.reason,
    });
    // Over the API: 409 with the verdict beside the error, as the OpenAPI document says.
    const refused = await contentGet(
      new Request(`http://localhost/api/v1/packages/${r.id}/content`, {
        headers: { authorization: `Bearer ${await makeToken(assessor)}` },
      }),
      { params: Promise.resolve({ id: r.id }) },
    );
    expect(refused.status).toBe(409);
    const refusal = await refused.json();
    expect(refusal).toMatchObject({ state: "QUARANTINED", reason: r.reason });
    expectShape(ZQuarantined, refusal);
    expect(await db.packageUpdate.count()).toBe(0);

    // Re-verifying with the same trust records the same verdict again.
    const same = await reverifyPackage({ actor: admin, id: r.id });
    expect(same.state).toBe("QUARANTINED");

    // The admin replaces the certificate and re-verifies.
    const [old] = (await getInstallation({ actor: admin, slug: i.slug })).certificates;
    await trustCertificate({
      actor: admin,
      slug: i.slug,
      file: pemCertificates(corpus.trusted.vendor)[0],
    });
    await removeCertificate({ actor: admin, slug: i.slug, sha256: old.sha256 });
    await expect(reverifyPackage({ actor: assessor, id: r.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const again = await reverifyPackage({ actor: admin, id: r.id });
    expect(again).toMatchObject({ id: r.id, state: "VERIFIED", reason: null });
    expectShape(ZPackageVerdict, again);

    const pkg = await getPackage({ actor: assessor, id: r.id });
    expectShape(ZPackage, pkg);
    const [listed] = await listPackages({ actor: assessor, slug: i.slug });
    expectShape(ZPackageSummary, listed);
    expect(pkg.verdicts.map((v) => v.state)).toEqual(["QUARANTINED", "QUARANTINED", "VERIFIED"]);
    expect(pkg.verdicts[2]).toMatchObject({ by: admin.name, reason: null });
    expect(pkg.verdicts[2].certificates).not.toContain(old.sha256);
    expect(pkg.verdicts[0].certificates).toEqual([old.sha256]);
    expect(pkg.channel).toBe("BROWSER");
    expect(pkg.installation).toEqual({ slug: i.slug, name: i.name });
    // openUpdate made the manual installation's record, in the re-verification's transaction.
    expect(pkg.update).toMatchObject({ mode: "manual", state: "IN_PROGRESS", steps: [] });
    const content = await loadPackageContent({ actor: assessor, id: r.id });
    expect(Buffer.from(content.bytes)).toEqual(Buffer.from(corpus.content));
    expect(content.fileName).toBe("os4x3_full_pe_Linux-x86.sh");
    const verdictEvents = await db.auditEvent.count({
      where: { subjectId: r.id, action: "package.verdict" },
    });
    expect(verdictEvents).toBe(3);

    // Verified again: still one update record.
    await reverifyPackage({ actor: admin, id: r.id });
    expect(await db.packageUpdate.count()).toBe(1);
  });

  it("completes an automatic installation's update at once and owes its post-update event", async () => {
    const i = await makeInstallation({ trusted: corpus.trusted.vendor, mode: "automatic" });
    const r = await receivePackage({
      actor: CLI_BOOTSTRAP,
      slug: i.slug,
      channel: "API",
      fileName: "os4x.sh.signed",
      data: file(corpus.packages.validPem.path),
    });
    expect(r.state).toBe("VERIFIED");
    const pkg = await getPackage({ actor: CLI_BOOTSTRAP, id: r.id });
    expect(pkg.update).toMatchObject({ mode: "automatic", state: "COMPLETED" });
    expectShape(ZPackage, pkg);
    expect(await db.outbox.count({ where: { kind: "package.post-update" } })).toBe(1);
  });
});
