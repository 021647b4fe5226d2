import { beforeEach, describe, expect, it } from "vitest";
import * as openpgp from "openpgp";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { makePerson, makeToken } from "../../../test/factories";
import { makeKey } from "../../../test/pgp-fixtures";
import { detachSign, makeSigner, signoff } from "../../../test/signers";
import { revoke } from "../../../test/corpus/forge";
import { addProcessSystems, makeTeam, PATCH_FIELDS } from "../../../test/process";
import { sampleDiff } from "../../../test/diffs";
import { submitPatch } from "../patches/submit-patch";
import { recordSignoff } from "../patches/record-signoff";
import { getPatch } from "../patches/get-patch";
import { issueStatement } from "../statements/issue-statement";
import { buildDossier } from "../dossier/build-dossier";
import { readDossier } from "../../dossier/archive";
import { verifyDossier } from "../../dossier/verify-dossier";
import { registerKey } from "./register-key";
import { updateKey } from "./update-key";
import { portalPublicKey } from "../portal-key/portal-key";
import { POST as postKey } from "../../../app/api/v1/me/keys/[fingerprint]/route";

// Finding 7: the owner of a registered key sends a revocation or an updated
// certificate; from the revocation on the key signs nothing, and what it
// signed before keeps counting, on the page and in the evidence bundle.

/** The revocation certificate a person keeps beside their key (gpg --gen-revoke, openpgp.js). */
async function revocationCertificate(privateKey: string, reason = "keyCompromised") {
  const { publicKey } = await openpgp.revokeKey({
    key: await openpgp.readPrivateKey({ armoredKey: privateKey }),
    reasonForRevocation: {
      flag: openpgp.enums.reasonForRevocation[
        reason as keyof typeof openpgp.enums.reasonForRevocation
      ],
      string: "laptop stolen",
    },
    format: "object",
  });
  return (await publicKey.getRevocationCertificate()) as string;
}

async function failure(promise: Promise<unknown>) {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, "the call succeeded").toBeTruthy();
  return e as { code: string; message: string; details?: { reason?: string } };
}

describe("revoking a registered key", () => {
  beforeEach(async () => {
    await resetDatabase();
    await addProcessSystems();
  });

  it("refuses its signatures from then on, and keeps what it signed before (page, gates, dossier)", async () => {
    const t = await makeTeam();
    const p = await submitPatch({
      actor: t.dev,
      system: "webdb",
      ...PATCH_FIELDS,
      diff: sampleDiff(),
    });
    await signoff(t.dev, p.id, "submit");
    await signoff(t.a1, p.id, "review", "approve", "Read every line.");
    // a2 fetched and signed a review, but sends it only after revoking the key.
    const { statement } = await issueStatement({
      actor: t.a2,
      patchId: p.id,
      kind: "review",
      verdict: "approve",
    });
    const signature = await detachSign(t.a2.privateKey, statement);
    // OpenPGP times are whole seconds: revoke clearly after the first review was received.
    await new Promise((resolve) => setTimeout(resolve, 1100));

    for (const signer of [t.a1, t.a2, t.a3]) {
      const entry = await updateKey({
        actor: signer,
        fingerprint: signer.fingerprint,
        armored: await revocationCertificate(signer.privateKey),
      });
      expect(entry).toMatchObject({
        fingerprint: signer.fingerprint,
        revokedAt: expect.any(Date),
        revocationReason: "key compromised: laptop stolen",
      });
    }
    expect(await db.auditEvent.count({ where: { action: "key.revoked" } })).toBe(3);

    const refused = await failure(recordSignoff({ actor: t.a2, statement, signature }));
    expect(refused).toMatchObject({ code: "SIGNATURE_REFUSED" });
    expect(refused.details?.reason).toBe("revoked-key");
    expect(refused.message).toMatch(/revoked/);
    // No new statement is issued for the revoked key either.
    const issue = await failure(
      issueStatement({ actor: t.a3, patchId: p.id, kind: "review", verdict: "approve" }),
    );
    expect(issue.message).toMatch(/revoked/);

    // The review received before the revocation still counts.
    const view = await getPatch({ actor: t.t1, patchId: p.id });
    expect(view.gates.reviews.have).toBe(1);
    expect(view.signoffs.find((s) => s.kind === "review")).toMatchObject({
      signer: expect.objectContaining({ email: t.a1.email }),
      key: expect.objectContaining({ revokedAt: expect.any(Date) }),
    });

    // The bundle carries the revoked key; offline, the review verifies as of its receipt.
    const dossier = await buildDossier({ actor: t.t1, patchId: p.id });
    const report = await verifyDossier((await readDossier(dossier.bytes)).files, {
      anchor: { portalKey: (await portalPublicKey()).publicArmored },
    });
    expect(report.problems.map((c) => c.message)).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it("accepts the whole revoked certificate as gpg exports it, with a soft reason", async () => {
    const signer = await makeSigner(["ASSESSOR"]);
    const entry = await updateKey({
      actor: signer,
      fingerprint: signer.fingerprint.toLowerCase().replace(/(.{4})/g, "$1 "),
      armored: await revoke(signer.privateKey, { reason: "keyRetired" }),
    });
    expect(entry.revocationReason).toBe("key retired: test");
    const row = await db.pgpKey.findUniqueOrThrow({ where: { fingerprint: signer.fingerprint } });
    expect(row.revokedAt).toEqual(entry.revokedAt);
    expect((await openpgp.readKey({ armoredKey: row.armored })).revocationSignatures).toHaveLength(
      1,
    );
  });

  it("refuses material for another key, unreadable text and a private key (400), another's key (404)", async () => {
    const [alice, bob] = await Promise.all([makeSigner(["ASSESSOR"]), makeSigner(["TESTER"])]);
    const stranger = await makeKey();
    const cases: [string, string][] = [
      [stranger.publicKey, "wrong-key"],
      [await revocationCertificate(stranger.privateKey), "wrong-key"],
      ["not a key at all", "not-a-key"],
      [alice.privateKey, "private"],
    ];
    for (const [armored, reason] of cases) {
      const e = await failure(updateKey({ actor: alice, fingerprint: alice.fingerprint, armored }));
      expect(e).toMatchObject({ code: "VALIDATION" });
      expect(e.details?.reason).toBe(reason);
    }
    const notHers = await failure(
      updateKey({
        actor: alice,
        fingerprint: bob.fingerprint,
        armored: await revocationCertificate(bob.privateKey),
      }),
    );
    expect(notHers).toMatchObject({ code: "NOT_FOUND" });
    expect(await db.pgpKey.count({ where: { revokedAt: { not: null } } })).toBe(0);
    expect(
      await db.auditEvent.count({ where: { action: { in: ["key.revoked", "key.updated"] } } }),
    ).toBe(0);
  });

  it("accepts an extended expiry and a new user ID, so an expiring key signs on", async () => {
    const person = await makePerson(["ASSESSOR"], { email: "ada@example.org" });
    const key = await makeKey({ email: person.email, keyExpirationTime: 3600 });
    const registered = await registerKey({ actor: person, armored: key.publicKey });
    expect(registered.expiresAt).not.toBeNull();

    // The same key material, certified again without an expiry and with a second address.
    const { publicKey } = await openpgp.reformatKey({
      privateKey: await openpgp.readPrivateKey({ armoredKey: key.privateKey }),
      userIDs: [
        { name: "Ada", email: person.email },
        { name: "Ada", email: "ada@home.example" },
      ],
      keyExpirationTime: 0,
      format: "armored",
    });
    const entry = await updateKey({
      actor: person,
      fingerprint: key.fingerprint,
      armored: publicKey,
    });
    expect(entry).toMatchObject({ expiresAt: null, revokedAt: null });
    expect(entry.userIds).toEqual(
      expect.arrayContaining(["Ada <ada@example.org>", "Ada <ada@home.example>"]),
    );
    expect(await db.auditEvent.count({ where: { action: "key.updated" } })).toBe(1);
  });
});

describe("POST /api/v1/me/keys/:fingerprint", () => {
  beforeEach(resetDatabase);

  it("answers 200 with the key's entry, 400 for another key's material, 404 for another's key", async () => {
    const [alice, bob] = await Promise.all([makeSigner(["ASSESSOR"]), makeSigner(["TESTER"])]);
    const token = await makeToken(alice);
    const post = (fingerprint: string, body: unknown) =>
      postKey(
        new Request(`http://localhost/api/v1/me/keys/${fingerprint}`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
        { params: Promise.resolve({ fingerprint }) },
      );

    const wrong = await post(alice.fingerprint, {
      armored: await revocationCertificate(bob.privateKey),
    });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.message).toMatch(/another key/);
    expect((await post(alice.fingerprint, { armored: "garbage" })).status).toBe(400);
    expect((await post(alice.fingerprint, {})).status).toBe(400);
    expect(
      (await post(bob.fingerprint, { armored: await revocationCertificate(bob.privateKey) }))
        .status,
    ).toBe(404);

    const ok = await post(alice.fingerprint, {
      armored: await revocationCertificate(alice.privateKey, "keySuperseded"),
    });
    expect(ok.status).toBe(200);
    const entry = await ok.json();
    expect(Object.keys(entry).sort()).toEqual([
      "algorithm",
      "expiresAt",
      "fingerprint",
      "revocationReason",
      "revokedAt",
      "userIds",
    ]);
    expect(entry).toMatchObject({
      fingerprint: alice.fingerprint,
      userIds: [`Test Person <${alice.email}>`],
      revokedAt: expect.stringMatching(/^\d{4}-/),
      revocationReason: "key superseded: laptop stolen",
    });
  });
});
