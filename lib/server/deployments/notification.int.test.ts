import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { db } from "../../db";
import { sha256Hex } from "../../crypto/hash";
import { resetDatabase } from "../../../test/reset";
import { detachSign } from "../../../test/signers";
import { addProcessSystems, makeTeam, type TTeam } from "../../../test/process";
import { gpgVerifyDetached } from "../../../peers/gpg";
import { isCanonicalPart } from "../../mail/notification";
import { tickedUpTo, tickStep } from "../../../test/steps";
import { getNotificationPart } from "./notification";
import { signNotification } from "./sign-notification";
import { uploadTarball } from "./upload-tarball";
import { uploadedTarballPath } from "./tarball-store";
import { expectShape } from "../../../test/api-shape";
import { ZNotificationSigned } from "../../api/deployment-answers";

// env() is parsed once, when the first import reads it: set the upload folder before any import.
const tarballDir = vi.hoisted(() => {
  const dir = `/tmp/patchgate-upload-${process.pid}-${Date.now()}`;
  process.env.TARBALL_DIR = dir;
  process.env.MAX_TARBALL_BYTES = String(64 * 1024);
  return dir;
});
afterAll(() => rmSync(tarballDir, { recursive: true, force: true }));

const TARBALL = "cacert-20261202.tar.gz";
const bytes = new TextEncoder().encode("the new source tarball\n".repeat(100));
const stream = (b: Uint8Array) => new Blob([new Uint8Array(b)]).stream();

beforeEach(async () => {
  await resetDatabase();
  await addProcessSystems();
});

const upToStep = (t: TTeam, last: number) =>
  tickedUpTo(t, last, { 7: { tarball: TARBALL, tarballSha256: sha256Hex(bytes) } });

async function written() {
  return {
    notifications: await db.deploymentNotification.count(),
    outbox: await db.outbox.count(),
    audit: await db.auditEvent.count(),
  };
}

describe("the admin's own signature on the notification (P7)", () => {
  it("hands out the exact part once the hand steps are done, and gpg verifies the signature it records", async () => {
    const t = await makeTeam();
    const p = await upToStep(t, 8);
    await expect(getNotificationPart({ actor: t.ca1, patchId: p.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/every step by hand is done \(next: step 9\)/),
    });
    await tickStep({ actor: t.ca1, patchId: p.id, number: 9, evidence: {} });
    // Ticking the last hand step no longer queues the worker: it waits for the signature.
    expect(await db.outbox.count()).toBe(0);

    const { part, keyFingerprint } = await getNotificationPart({ actor: t.ca1, patchId: p.id });
    expect(keyFingerprint).toBe(t.ca1.fingerprint);
    expect(isCanonicalPart(part)).toBe(true);
    const apply = await db.deploymentStep.findFirstOrThrow({ where: { number: 5 } });
    const at = apply
      .doneAt!.toISOString()
      .replace("T", " ")
      .replace(/\.\d{3}Z$/, " UTC");
    const body = part.replace(/=\r\n/g, "");
    expect(body).toContain(`at ${at}.`);
    expect(body).toContain(`New source tarball: ${TARBALL}\r\nSHA-256 ${sha256Hex(bytes)}`);
    // The same bytes on every request: what the admin signs is what the server checks.
    expect((await getNotificationPart({ actor: t.ca1, patchId: p.id })).part).toBe(part);

    const signature = await detachSign(t.ca1.privateKey, part);
    const r = await signNotification({ actor: t.ca1, patchId: p.id, signature });
    expect(r).toMatchObject({ fingerprint: t.ca1.fingerprint, partSha256: sha256Hex(part) });
    expectShape(ZNotificationSigned, r);
    const stored = await db.deploymentNotification.findFirstOrThrow();
    expect(stored).toMatchObject({ part, signerId: t.ca1.id, fingerprint: t.ca1.fingerprint });
    expect((await db.outbox.findMany()).map((o) => o.kind).sort()).toEqual([
      "deployment.bug-update",
      "deployment.mirror",
      "deployment.notify",
      "deployment.reply",
    ]);
    expect(await db.auditEvent.count({ where: { action: "deployment.notification-signed" } })).toBe(
      1,
    );

    // Stock GnuPG, given only the admin's public key, verifies the stored signature over the part.
    const key = await db.pgpKey.findFirstOrThrow({ where: { userId: t.ca1.id } });
    expect(gpgVerifyDetached(key.armored, stored.part, stored.signature)).toContain(
      `[GNUPG:] VALIDSIG ${t.ca1.fingerprint}`,
    );

    await expect(
      signNotification({ actor: t.ca1, patchId: p.id, signature }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("refuses a bad signature, another person's key and the wrong role, with nothing written", async () => {
    const t = await makeTeam();
    const p = await upToStep(t, 9);
    const { part } = await getNotificationPart({ actor: t.ca1, patchId: p.id });
    const before = await written();
    const cases: [string, () => Promise<unknown>, object][] = [
      [
        "a signature over the text with LF line ends (not the canonical part)",
        async () =>
          signNotification({
            actor: t.ca1,
            patchId: p.id,
            signature: await detachSign(t.ca1.privateKey, part.replace(/\r\n/g, "\n") + "x"),
          }),
        { code: "SIGNATURE_REFUSED", details: { reason: "mismatch" } },
      ],
      [
        "a signature by another critical admin's key, submitted as ca1",
        async () =>
          signNotification({
            actor: t.ca1,
            patchId: p.id,
            signature: await detachSign(t.ca2.privateKey, part),
          }),
        { code: "SIGNATURE_REFUSED", details: { reason: "not-your-key" } },
      ],
      [
        "garbage",
        () => signNotification({ actor: t.ca1, patchId: p.id, signature: "not a signature" }),
        { code: "SIGNATURE_REFUSED", details: { reason: "not-armored" } },
      ],
      [
        "a tester",
        async () =>
          signNotification({
            actor: t.t1,
            patchId: p.id,
            signature: await detachSign(t.t1.privateKey, part),
          }),
        { code: "FORBIDDEN" },
      ],
    ];
    for (const [what, attempt, expected] of cases)
      await expect(attempt(), what).rejects.toMatchObject(expected);
    expect(await written()).toEqual(before);
  });
});

describe("the tarball uploaded at step 7 (P9)", () => {
  it("stores the streamed bytes under their SHA-256, audited, only when step 7 is next", async () => {
    const t = await makeTeam();
    const p = await upToStep(t, 5);
    await expect(
      uploadTarball({ actor: t.ca1, patchId: p.id, name: TARBALL, body: stream(bytes) }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/Step 6/) });
    await tickStep({
      actor: t.ca1,
      patchId: p.id,
      number: 6,
      evidence: { commitMessage: "Fix for bug #1234" },
    });
    await expect(
      uploadTarball({ actor: t.t1, patchId: p.id, name: TARBALL, body: stream(bytes) }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      uploadTarball({ actor: t.ca1, patchId: p.id, name: "../x.tar.gz", body: stream(bytes) }),
    ).rejects.toThrow(/file name/);

    const stored = await uploadTarball({
      actor: t.ca1,
      patchId: p.id,
      name: TARBALL,
      body: stream(bytes),
    });
    expect(stored).toEqual({ name: TARBALL, sha256: sha256Hex(bytes), bytes: bytes.length });
    expect(readFileSync(uploadedTarballPath(tarballDir, sha256Hex(bytes)))).toEqual(
      Buffer.from(bytes),
    );
    expect(
      (await db.auditEvent.findFirstOrThrow({ where: { action: "deployment.tarball-uploaded" } }))
        .payload,
    ).toMatchObject({ name: TARBALL, sha256: sha256Hex(bytes), bytes: bytes.length });
  });

  it("stops at the size cap and leaves nothing behind", async () => {
    const t = await makeTeam();
    const p = await upToStep(t, 6);
    const big = new Uint8Array(64 * 1024 + 1);
    await expect(
      uploadTarball({ actor: t.ca1, patchId: p.id, name: TARBALL, body: stream(big) }),
    ).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    await expect(
      uploadTarball({
        actor: t.ca1,
        patchId: p.id,
        name: TARBALL,
        body: stream(bytes),
        declaredBytes: 10_000_000,
      }),
    ).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(path.join(tarballDir, "uploaded")).filter((f) => f.startsWith("."))).toEqual(
      [],
    );
    expect(await db.auditEvent.count({ where: { action: "deployment.tarball-uploaded" } })).toBe(0);
  });
});
