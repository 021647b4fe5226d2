import { beforeEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { db } from "../../db";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { buildStatement, parseStatement } from "../../domain/statements";
import { parseRegistrableKey } from "../../crypto/pgp-keys";
import { resetDatabase } from "../../../test/reset";
import { detachSign, makeSigner, signoff, type TSigner } from "../../../test/signers";
import { makePerson } from "../../../test/factories";
import { makeKey } from "../../../test/pgp-fixtures";
import { sampleDiff } from "../../../test/diffs";
import {
  keyWithAuthSubkey,
  primaryPacket,
  rawDetachSign,
  revoke,
  twoSignaturesInOneArmor,
} from "../../../test/corpus/forge";
import { binarySign, binarySignUnarmored, cleartextSign, gpgSign } from "../../../test/corpus/sign";
import { addSystem } from "../systems/add-system";
import { issueStatement } from "../statements/issue-statement";
import { registerKey } from "../keys/register-key";
import { removeKey } from "../keys/remove-key";
import { submitPatch } from "./submit-patch";
import { addRevision } from "./add-revision";
import { recordSignoff } from "./record-signoff";

// The negative signature corpus (X1): every case goes through the real
// recordSignoff against the real database, is refused with the right code, and
// leaves no trace: no sign-off, no signed statement, no audit event, no state
// change, and the statement's nonce still unused.

const DAY = 86400_000;

let dev: TSigner, a1: TSigner, a2: TSigner, mallory: TSigner;
let patchId: string;

async function newPatch(title = "Fix domain listing") {
  const p = await submitPatch({
    actor: dev,
    system: "webdb",
    title,
    summary: "s",
    bugId: "1234",
    bugSummary: "Domains",
    diff: sampleDiff(title),
  });
  await signoff(dev, p.id, "submit");
  return p.id;
}

async function reviewStatement(
  who: TSigner = a1,
  extra: { keyFingerprint?: string; patch?: string } = {},
) {
  const { statement } = await issueStatement({
    actor: who,
    patchId: extra.patch ?? patchId,
    kind: "review",
    verdict: "approve",
    comment: "Read every line.",
    keyFingerprint: extra.keyFingerprint,
  });
  return statement;
}

async function snapshot() {
  const [signoffs, statements, audit, used, patches] = await Promise.all([
    db.signoff.count(),
    db.signedStatement.count(),
    db.auditEvent.count(),
    db.statementNonce.count({ where: { usedAt: { not: null } } }),
    db.patch.findMany({ select: { id: true, state: true }, orderBy: { id: "asc" } }),
  ]);
  return { signoffs, statements, audit, used, patches };
}

type TCode = "SIGNATURE_REFUSED" | "CONFLICT" | "FORBIDDEN" | "VALIDATION";

/** Runs one refused attempt and proves it changed nothing. Returns the error's reason. */
async function refused(
  attempt: { actor: TSigner; statement: string; signature: string },
  code: TCode | "ZOD",
  reason?: string,
) {
  const before = await snapshot();
  const error = await recordSignoff(attempt).then(
    (ok) => ({ accepted: ok }),
    (e: unknown) => e,
  );
  if (code === "ZOD") expect(error).toBeInstanceOf(ZodError);
  else expect(error, "the sign-off was accepted").toMatchObject({ code });
  if (reason) expect(error).toMatchObject({ details: { reason } });
  expect(await snapshot()).toEqual(before);
  const nonce = parseStatement(attempt.statement)?.nonce;
  const row = nonce ? await db.statementNonce.findUnique({ where: { nonce } }) : null;
  if (row && reason !== "nonce-reused") expect(row.usedAt).toBeNull();
  return error;
}

const cases: string[] = [];
/** A corpus case: counted, so the suite can say how many it holds. */
function refuses(name: string, fn: () => Promise<unknown>) {
  cases.push(name);
  it(`refuses ${name}`, fn);
}

describe("the negative signature corpus", () => {
  beforeEach(async () => {
    await resetDatabase();
    await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
    [dev, a1, a2, mallory] = await Promise.all([
      makeSigner(["DEVELOPER"]),
      makeSigner(["ASSESSOR"]),
      makeSigner(["ASSESSOR"]),
      makeSigner(["ASSESSOR", "TESTER"]),
    ]);
    patchId = await newPatch();
  });

  refuses("a signature made with another user's key", async () => {
    const statement = await reviewStatement();
    await refused(
      { actor: a1, statement, signature: await detachSign(mallory.privateKey, statement) },
      "SIGNATURE_REFUSED",
      "wrong-key",
    );
  });

  refuses("a statement of another patch, rewritten to name this one", async () => {
    const other = await newPatch("Another fix");
    const forOther = await reviewStatement(a1, { patch: other });
    const mine = parseStatement(await reviewStatement())!;
    const theirs = parseStatement(forOther)!;
    const rewritten = forOther
      .replace(`patch: ${theirs.patch}`, `patch: ${mine.patch}`)
      .replace(`diff-sha256: ${theirs["diff-sha256"]}`, `diff-sha256: ${mine["diff-sha256"]}`);
    expect(rewritten).not.toBe(forOther);
    await refused(
      { actor: a1, statement: rewritten, signature: await detachSign(a1.privateKey, rewritten) },
      "SIGNATURE_REFUSED",
      "modified",
    );
  });

  refuses("a statement of an older revision (stale)", async () => {
    const statement = await reviewStatement();
    await addRevision({ actor: dev, patchId, diff: sampleDiff("revision 2") });
    await signoff(dev, patchId, "submit");
    await refused(
      { actor: a1, statement, signature: await detachSign(a1.privateKey, statement) },
      "CONFLICT",
    );
  });

  refuses("a reused nonce", async () => {
    const statement = await reviewStatement();
    const signature = await detachSign(a1.privateKey, statement);
    await recordSignoff({ actor: a1, statement, signature });
    await refused({ actor: a1, statement, signature }, "SIGNATURE_REFUSED", "nonce-reused");
    // Even signed afresh, the same statement does not count twice.
    await refused(
      { actor: a1, statement, signature: await binarySign(a1.privateKey, statement) },
      "SIGNATURE_REFUSED",
      "nonce-reused",
    );
  });

  refuses("a statement modified by one byte, signed as modified", async () => {
    const statement = (await reviewStatement()).replace("Read every line.", "Read every line!");
    await refused(
      { actor: a1, statement, signature: await detachSign(a1.privateKey, statement) },
      "SIGNATURE_REFUSED",
      "modified",
    );
  });

  refuses("a signature over a one-byte change of the issued statement", async () => {
    const statement = await reviewStatement();
    const signature = await binarySign(
      a1.privateKey,
      statement.replace("verdict: approve", "verdict: approvE"),
    );
    await refused({ actor: a1, statement, signature }, "SIGNATURE_REFUSED", "mismatch");
  });

  refuses("a statement the server never issued", async () => {
    const real = parseStatement(await reviewStatement())!;
    const statement = buildStatement({
      kind: "review",
      verdict: "approve",
      patchId: real.patch,
      patchNumber: Number(real["patch-number"]),
      revision: 1,
      system: "webdb",
      diffSha256: real["diff-sha256"],
      bugId: "1234",
      signerId: a1.id,
      signerEmail: a1.email,
      keyFingerprint: a1.fingerprint,
      nonce: "ffffffffffffffffffffffffffffffff",
      issuedAt: new Date(),
      comment: "",
    });
    await refused(
      { actor: a1, statement, signature: await detachSign(a1.privateKey, statement) },
      "SIGNATURE_REFUSED",
      "not-issued",
    );
  });

  refuses("a statement issued to someone else", async () => {
    const statement = await reviewStatement(a1);
    await refused(
      { actor: a2, statement, signature: await detachSign(a2.privateKey, statement) },
      "SIGNATURE_REFUSED",
      "not-issued",
    );
    await refused(
      { actor: a2, statement, signature: await detachSign(a1.privateKey, statement) },
      "SIGNATURE_REFUSED",
      "not-issued",
    );
  });

  refuses("a statement with CRLF line endings", async () => {
    const statement = (await reviewStatement()).replace(/\n/g, "\r\n");
    await refused(
      { actor: a1, statement, signature: await binarySign(a1.privateKey, statement) },
      "SIGNATURE_REFUSED",
      "not-issued",
    );
  });

  refuses("a binary signature over the CRLF form of the issued statement", async () => {
    const statement = await reviewStatement();
    await refused(
      {
        actor: a1,
        statement,
        signature: await binarySign(a1.privateKey, statement.replace(/\n/g, "\r\n")),
      },
      "SIGNATURE_REFUSED",
      "mismatch",
    );
  });

  refuses("a cleartext-signed message (openpgp.js)", async () => {
    const statement = await reviewStatement();
    await refused(
      { actor: a1, statement, signature: await cleartextSign(a1.privateKey, statement) },
      "SIGNATURE_REFUSED",
      "cleartext",
    );
  });

  refuses("a cleartext-signed message (gpg --clearsign)", async () => {
    const statement = await reviewStatement();
    await refused(
      { actor: a1, statement, signature: gpgSign(a1.privateKey, statement, "--clearsign") },
      "SIGNATURE_REFUSED",
      "cleartext",
    );
  });

  refuses("an inline-signed message (gpg --sign --armor)", async () => {
    const statement = await reviewStatement();
    await refused(
      { actor: a1, statement, signature: gpgSign(a1.privateKey, statement, "--sign") },
      "SIGNATURE_REFUSED",
      "inline",
    );
  });

  refuses("an expired key, with a signature backdated to when it was valid", async () => {
    const key = await makeKey({
      email: a1.email,
      date: new Date(Date.now() - 10 * DAY),
      keyExpirationTime: DAY / 1000,
    });
    // Registration refuses expired keys, so the row is written as it stood while the key was valid.
    const parsed = await parseRegistrableKey(key.publicKey, {
      accountEmail: a1.email,
      now: new Date(Date.now() - 9.5 * DAY),
    });
    await db.pgpKey.create({ data: { userId: a1.id, ...parsed } });
    const statement = await reviewStatement(a1, { keyFingerprint: key.fingerprint });
    const signature = await binarySign(key.privateKey, statement, new Date(Date.now() - 9.5 * DAY));
    await refused({ actor: a1, statement, signature }, "SIGNATURE_REFUSED", "expired-key");
  });

  refuses("a revoked key", async () => {
    const statement = await reviewStatement();
    const signature = await binarySign(a1.privateKey, statement);
    await db.pgpKey.update({
      where: { fingerprint: a1.fingerprint },
      data: { armored: await revoke(a1.privateKey) },
    });
    await refused({ actor: a1, statement, signature }, "SIGNATURE_REFUSED", "revoked-key");
  });

  refuses(
    "a retired key (soft revocation) with a signature backdated before the revocation",
    async () => {
      const key = await makeKey({ date: new Date(Date.now() - 10 * DAY) });
      const signer = {
        ...(await makePerson(["ASSESSOR"], { pgpKey: key.publicKey })),
        privateKey: key.privateKey,
        fingerprint: key.fingerprint,
      };
      const statement = await reviewStatement(signer);
      const signature = await binarySign(key.privateKey, statement, new Date(Date.now() - 5 * DAY));
      await db.pgpKey.update({
        where: { fingerprint: key.fingerprint },
        data: { armored: await revoke(key.privateKey, { reason: "keyRetired" }) },
      });
      await refused({ actor: signer, statement, signature }, "SIGNATURE_REFUSED", "revoked-key");
    },
  );

  refuses("truncated armor", async () => {
    const statement = await reviewStatement();
    const lines = (await detachSign(a1.privateKey, statement)).trim().split("\n");
    const truncated = [...lines.slice(0, 3), lines[3].slice(0, 12), lines.at(-1)].join("\n");
    await refused(
      { actor: a1, statement, signature: truncated },
      "SIGNATURE_REFUSED",
      "unreadable",
    );
  });

  refuses("garbage instead of armor", async () => {
    const statement = await reviewStatement();
    await refused(
      { actor: a1, statement, signature: "I, the undersigned, approve." },
      "SIGNATURE_REFUSED",
      "not-armored",
    );
  });

  refuses("two signatures in one armor block", async () => {
    const statement = await reviewStatement();
    const both = await twoSignaturesInOneArmor(
      await detachSign(a1.privateKey, statement),
      await detachSign(a1.privateKey, statement),
    );
    await refused({ actor: a1, statement, signature: both }, "SIGNATURE_REFUSED", "several");
  });

  refuses("two armored signatures concatenated, the first one valid", async () => {
    const statement = await reviewStatement();
    const good = await detachSign(a1.privateKey, statement);
    const other = await detachSign(mallory.privateKey, statement);
    await refused(
      { actor: a1, statement, signature: `${good.trim()}\n${other.trim()}\n` },
      "SIGNATURE_REFUSED",
      "several",
    );
  });

  refuses("a signature by a subkey without the signing flag", async () => {
    const key = await keyWithAuthSubkey();
    const person = await makePerson(["ASSESSOR"], { pgpKey: key.publicKey });
    const signer = { ...person, privateKey: key.privateKey, fingerprint: key.fingerprint };
    const statement = await reviewStatement(signer);
    await refused(
      { actor: signer, statement, signature: await rawDetachSign(key.authSubkey, statement) },
      "SIGNATURE_REFUSED",
      "not-signing-key",
    );
  });

  refuses("a signature dated before the key existed", async () => {
    const statement = await reviewStatement();
    const signature = await rawDetachSign(await primaryPacket(a1.privateKey), statement, {
      date: new Date(Date.now() - 30 * DAY),
    });
    await refused({ actor: a1, statement, signature }, "SIGNATURE_REFUSED", "predates-key");
  });

  refuses("a signature dated in the future", async () => {
    const statement = await reviewStatement();
    await refused(
      {
        actor: a1,
        statement,
        signature: await binarySign(a1.privateKey, statement, new Date(Date.now() + DAY)),
      },
      "SIGNATURE_REFUSED",
      "future",
    );
  });

  refuses("an expired statement", async () => {
    const statement = await reviewStatement();
    await db.statementNonce.update({
      where: { nonce: parseStatement(statement)!.nonce },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await refused(
      { actor: a1, statement, signature: await detachSign(a1.privateKey, statement) },
      "SIGNATURE_REFUSED",
      "expired-statement",
    );
  });

  refuses("a signature by a key removed after the statement was issued", async () => {
    const statement = await reviewStatement();
    const key = await db.pgpKey.findUniqueOrThrow({ where: { fingerprint: a1.fingerprint } });
    await removeKey({ actor: a1, keyId: key.id });
    await refused(
      { actor: a1, statement, signature: await detachSign(a1.privateKey, statement) },
      "SIGNATURE_REFUSED",
      "not-your-key",
    );
  });

  refuses("an empty signature", async () => {
    const statement = await reviewStatement();
    await refused({ actor: a1, statement, signature: "" }, "ZOD");
    await refused({ actor: a1, statement, signature: " \n\t" }, "SIGNATURE_REFUSED", "not-armored");
  });

  refuses("a binary (non-armored) signature", async () => {
    const statement = await reviewStatement();
    const bin = await binarySignUnarmored(a1.privateKey, statement);
    await refused(
      { actor: a1, statement, signature: Buffer.from(bin).toString("latin1") },
      "SIGNATURE_REFUSED",
      "not-armored",
    );
    await refused(
      { actor: a1, statement, signature: Buffer.from(bin).toString("base64") },
      "SIGNATURE_REFUSED",
      "not-armored",
    );
  });

  refuses("a signature by the user's other key than the one the statement names", async () => {
    const second = await makeKey({ email: a1.email });
    await registerKey({ actor: a1, armored: second.publicKey });
    const statement = await reviewStatement(a1, { keyFingerprint: second.fingerprint });
    await refused(
      { actor: a1, statement, signature: await detachSign(a1.privateKey, statement) },
      "SIGNATURE_REFUSED",
      "wrong-key",
    );
  });

  refuses("a statement naming another user's key, signed with it", async () => {
    const statement = (await reviewStatement()).replace(
      `key-fingerprint: ${a1.fingerprint}`,
      `key-fingerprint: ${mallory.fingerprint}`,
    );
    await refused(
      { actor: a1, statement, signature: await detachSign(mallory.privateKey, statement) },
      "SIGNATURE_REFUSED",
      "modified",
    );
  });

  refuses("a second vote in the other gate by a person with two roles", async () => {
    const review = await issueStatement({
      actor: mallory,
      patchId,
      kind: "review",
      verdict: "approve",
    });
    const test = await issueStatement({ actor: mallory, patchId, kind: "test", verdict: "pass" });
    await recordSignoff({
      actor: mallory,
      statement: review.statement,
      signature: await detachSign(mallory.privateKey, review.statement),
    });
    await refused(
      {
        actor: mallory,
        statement: test.statement,
        signature: await detachSign(mallory.privateKey, test.statement),
      },
      "CONFLICT",
    );
  });

  refuses(
    "a request signed while ready but recorded after a failed test blocked the patch",
    async () => {
      const [t1, t2, t3] = await Promise.all([
        makeSigner(["TESTER"]),
        makeSigner(["TESTER"]),
        makeSigner(["TESTER"]),
      ]);
      await signoff(a1, patchId, "review", "approve");
      await signoff(a2, patchId, "review", "approve");
      await signoff(t1, patchId, "test", "pass");
      await signoff(t2, patchId, "test", "pass");
      const requester = await makeSigner(["ASSESSOR"]);
      const { statement } = await issueStatement({ actor: requester, patchId, kind: "request" });
      await signoff(t3, patchId, "test", "fail", "Breaks the login page.");
      await refused(
        {
          actor: requester,
          statement,
          signature: await detachSign(requester.privateKey, statement),
        },
        "FORBIDDEN",
      );
    },
  );

  refuses("a review statement issued before the reviewer lost the role", async () => {
    const statement = await reviewStatement();
    await db.roleGrant.updateMany({ where: { userId: a1.id }, data: { revokedAt: new Date() } });
    const { loadActor } = await import("../../auth/load-actor");
    const demoted = {
      ...(await loadActor(a1.id))!,
      privateKey: a1.privateKey,
      fingerprint: a1.fingerprint,
    };
    await refused(
      { actor: demoted, statement, signature: await detachSign(a1.privateKey, statement) },
      "FORBIDDEN",
    );
  });

  it("holds at least 20 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });
});

describe("the positive controls: the same statement signed correctly is accepted", () => {
  beforeEach(async () => {
    await resetDatabase();
    await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
    [dev, a1] = await Promise.all([makeSigner(["DEVELOPER"]), makeSigner(["ASSESSOR"])]);
    patchId = await newPatch();
  });

  it.each([
    ["openpgp.js, text mode", (s: string) => detachSign(a1.privateKey, s)],
    ["openpgp.js, binary mode", (s: string) => binarySign(a1.privateKey, s)],
    ["gpg --armor --detach-sign", async (s: string) => gpgSign(a1.privateKey, s, "--detach-sign")],
  ])("%s", async (_name, sign) => {
    const statement = await reviewStatement();
    const before = await snapshot();
    const result = await recordSignoff({ actor: a1, statement, signature: await sign(statement) });
    expect(result).toMatchObject({
      kind: "REVIEW",
      verdict: "APPROVE",
      revision: 1,
      fingerprint: a1.fingerprint,
    });
    const after = await snapshot();
    expect(after.signoffs).toBe(before.signoffs + 1);
    expect(after.statements).toBe(before.statements + 1);
    expect(after.used).toBe(before.used + 1);
    expect(after.audit).toBeGreaterThan(before.audit);
    const stored = await db.signedStatement.findFirstOrThrow({ where: { signerId: a1.id } });
    expect(stored.statement).toBe(statement);
  });
});
