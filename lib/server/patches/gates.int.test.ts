import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { resetDatabase } from "../../../test/reset";
import { makeSigner, signoff, type TSigner } from "../../../test/signers";
import { sampleDiff } from "../../../test/diffs";
import { addSystem } from "../systems/add-system";
import { issueStatement } from "../statements/issue-statement";
import { submitPatch } from "./submit-patch";
import { addRevision } from "./add-revision";
import { getPatch } from "./get-patch";

// The gates of P1/P3 end to end against the real database: who counts, who is
// refused, and that the database itself refuses a second vote.

async function writes() {
  const [signoffs, statements, audit] = await Promise.all([
    db.signoff.count(),
    db.signedStatement.count(),
    db.auditEvent.count(),
  ]);
  return { signoffs, statements, audit };
}

/** Expects a refusal with this code and no row written. */
async function refusedWith(code: string, attempt: () => Promise<unknown>) {
  const before = await writes();
  await expect(attempt()).rejects.toMatchObject({ code });
  expect(await writes()).toEqual(before);
}

/** A sign-off row written straight into the tables, as a bug or a bypass might: the rules must still not count it. */
async function rawSignoff(
  patchId: string,
  signer: TSigner,
  kind: "REVIEW" | "TEST",
  verdict: "APPROVE" | "PASS",
  revisionNumber = 1,
) {
  const revision = await db.patchRevision.findFirstOrThrow({
    where: { patchId, number: revisionNumber },
  });
  const key = await db.pgpKey.findFirstOrThrow({ where: { userId: signer.id } });
  const nonce = await db.statementNonce.create({
    data: {
      nonce: `raw-${Math.random()}`,
      userId: signer.id,
      kind: kind.toLowerCase(),
      subjectType: "patch",
      subjectId: patchId,
      statement: "raw",
      expiresAt: new Date(),
      usedAt: new Date(),
    },
  });
  const statement = await db.signedStatement.create({
    data: {
      kind: kind.toLowerCase(),
      subjectType: "patch",
      subjectId: patchId,
      signerId: signer.id,
      keyId: key.id,
      fingerprint: key.fingerprint,
      statement: "raw",
      signature: "raw",
      nonceId: nonce.id,
    },
  });
  return db.signoff.create({
    data: {
      patchId,
      revisionId: revision.id,
      kind,
      verdict,
      signerId: signer.id,
      diffSha256: revision.diffSha256,
      statementId: statement.id,
    },
  });
}

let dev: TSigner,
  author: TSigner,
  a1: TSigner,
  a2: TSigner,
  a3: TSigner,
  t1: TSigner,
  t2: TSigner,
  both: TSigner;

async function patch(system = "webdb", by: TSigner = dev) {
  const p = await submitPatch({
    actor: by,
    system,
    title: "Fix",
    summary: "s",
    bugId: "42",
    bugSummary: "b",
    diff: sampleDiff(String(Math.random())),
  });
  return p.id;
}

const view = (id: string) => getPatch({ actor: a1, patchId: id });

describe("the review and test gates", () => {
  beforeEach(async () => {
    await resetDatabase();
    await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
    await addSystem({
      actor: CLI_BOOTSTRAP,
      slug: "strict",
      name: "strict",
      reviewsRequired: 3,
      testsRequired: 2,
    });
    [dev, author, a1, a2, a3, t1, t2, both] = await Promise.all([
      makeSigner(["DEVELOPER"]),
      makeSigner(["ASSESSOR"]),
      makeSigner(["ASSESSOR"]),
      makeSigner(["ASSESSOR"]),
      makeSigner(["ASSESSOR"]),
      makeSigner(["TESTER"]),
      makeSigner(["TESTER"]),
      makeSigner(["ASSESSOR", "TESTER"]),
    ]);
  });

  it("stays a draft until the uploader signs the submission, which only they can, once", async () => {
    const id = await patch();
    expect((await view(id)).state).toBe("DRAFT");
    await refusedWith("FORBIDDEN", () =>
      issueStatement({ actor: a1, patchId: id, kind: "review", verdict: "approve" }),
    );
    await refusedWith("FORBIDDEN", () =>
      issueStatement({ actor: a1, patchId: id, kind: "submit" }),
    );
    await signoff(dev, id, "submit");
    expect((await view(id)).state).toBe("IN_REVIEW");
    await refusedWith("CONFLICT", () =>
      issueStatement({ actor: dev, patchId: id, kind: "submit" }),
    );
  });

  it("never lets the author vote, and never counts an author's vote that got into the table", async () => {
    const id = await patch("webdb", author);
    await signoff(author, id, "submit");
    await refusedWith("FORBIDDEN", () =>
      issueStatement({ actor: author, patchId: id, kind: "review", verdict: "approve" }),
    );
    await rawSignoff(id, author, "REVIEW", "APPROVE");
    await signoff(a1, id, "review", "approve");
    expect((await view(id)).gates.reviews).toEqual({ have: 1, need: 2 });
    expect((await view(id)).state).toBe("IN_REVIEW");
  });

  it("excludes the uploader of a revision from its gates", async () => {
    const id = await patch();
    await signoff(dev, id, "submit");
    await addRevision({ actor: a3, patchId: id, diff: sampleDiff("by a3") });
    await signoff(a3, id, "submit");
    await refusedWith("FORBIDDEN", () =>
      issueStatement({ actor: a3, patchId: id, kind: "review", verdict: "approve" }),
    );
    await rawSignoff(id, a3, "REVIEW", "APPROVE", 2);
    expect((await view(id)).gates.reviews.have).toBe(0);
  });

  it("excludes the uploader of an earlier revision from the gates and the request of a later one", async () => {
    const id = await patch();
    await signoff(dev, id, "submit");
    await addRevision({ actor: a3, patchId: id, diff: sampleDiff("r2 by a3") });
    await addRevision({ actor: dev, patchId: id, diff: sampleDiff("r3 by dev") });
    await signoff(dev, id, "submit");
    await refusedWith("FORBIDDEN", () =>
      issueStatement({ actor: a3, patchId: id, kind: "review", verdict: "approve" }),
    );
    await rawSignoff(id, a3, "REVIEW", "APPROVE", 3);
    expect((await view(id)).gates.reviews.have).toBe(0);
    await signoff(a1, id, "review", "approve");
    await signoff(a2, id, "review", "approve");
    await signoff(t1, id, "test", "pass");
    await signoff(t2, id, "test", "pass");
    expect((await view(id)).state).toBe("READY");
    await refusedWith("FORBIDDEN", () =>
      issueStatement({ actor: a3, patchId: id, kind: "request" }),
    );
  });

  it("counts a person with two roles once per revision, and the database refuses the second vote itself", async () => {
    const id = await patch();
    await signoff(dev, id, "submit");
    await signoff(both, id, "review", "approve");
    await refusedWith("CONFLICT", () =>
      issueStatement({ actor: both, patchId: id, kind: "test", verdict: "pass" }),
    );
    // The unique index, not only the code: a second row for the same person and revision is refused.
    await expect(rawSignoff(id, both, "TEST", "PASS")).rejects.toMatchObject({ code: "P2002" });
    expect((await view(id)).gates).toEqual({
      reviews: { have: 1, need: 2 },
      tests: { have: 0, need: 2 },
    });
  });

  it("stops counting the sign-offs of a superseded revision, and lets the same people vote again", async () => {
    const id = await patch();
    await signoff(dev, id, "submit");
    await signoff(a1, id, "review", "approve");
    await signoff(a2, id, "review", "approve");
    await signoff(t1, id, "test", "pass");
    await addRevision({ actor: dev, patchId: id, diff: sampleDiff("second") });
    let v = await view(id);
    expect(v.state).toBe("DRAFT");
    expect(v.gates).toEqual({ reviews: { have: 0, need: 2 }, tests: { have: 0, need: 2 } });
    expect(v.signoffs.filter((s) => s.superseded)).toHaveLength(4);
    await signoff(dev, id, "submit");
    await signoff(a1, id, "review", "approve");
    v = await view(id);
    expect(v.gates.reviews.have).toBe(1);
    expect(v.signoffs.filter((s) => !s.superseded)).toHaveLength(2);
  });

  it("blocks on a reject until a new revision, and on a fail", async () => {
    const id = await patch();
    await signoff(dev, id, "submit");
    await signoff(a1, id, "review", "approve");
    await signoff(a2, id, "review", "approve");
    await signoff(t1, id, "test", "pass");
    await signoff(t2, id, "test", "pass");
    await signoff(a3, id, "review", "reject", "SQL injection in line 12.");
    expect((await view(id)).state).toBe("BLOCKED");
    await refusedWith("FORBIDDEN", () =>
      issueStatement({ actor: both, patchId: id, kind: "request" }),
    );
    await addRevision({ actor: dev, patchId: id, diff: sampleDiff("fixed") });
    await signoff(dev, id, "submit");
    expect((await view(id)).state).toBe("IN_REVIEW");
    await signoff(a1, id, "review", "approve");
    await signoff(a2, id, "review", "approve");
    await signoff(t1, id, "test", "fail", "Crashes on login.");
    expect((await view(id)).state).toBe("BLOCKED");
  });

  it("follows the system's policy: three reviews, two tests", async () => {
    const id = await patch("strict");
    await signoff(dev, id, "submit");
    await signoff(a1, id, "review", "approve");
    await signoff(a2, id, "review", "approve");
    await signoff(t1, id, "test", "pass");
    await signoff(t2, id, "test", "pass");
    expect(await view(id)).toMatchObject({
      state: "IN_REVIEW",
      gates: { reviews: { have: 2, need: 3 }, tests: { have: 2, need: 2 } },
    });
    await refusedWith("FORBIDDEN", () =>
      issueStatement({ actor: a3, patchId: id, kind: "request" }),
    );
    await signoff(a3, id, "review", "approve");
    expect((await view(id)).state).toBe("READY");
  });

  it("takes the request only when ready, only from an assessor who is not the author, only once", async () => {
    const id = await patch("webdb", author);
    await signoff(author, id, "submit");
    await signoff(a1, id, "review", "approve");
    await signoff(a2, id, "review", "approve");
    await signoff(t1, id, "test", "pass");
    await refusedWith("FORBIDDEN", () =>
      issueStatement({ actor: a3, patchId: id, kind: "request" }),
    );
    await signoff(t2, id, "test", "pass");
    expect((await view(id)).state).toBe("READY");
    await refusedWith("FORBIDDEN", () =>
      issueStatement({ actor: author, patchId: id, kind: "request" }),
    );
    await refusedWith("FORBIDDEN", () =>
      issueStatement({ actor: t1, patchId: id, kind: "request" }),
    );
    await signoff(a3, id, "request");
    expect((await view(id)).state).toBe("REQUESTED");
    await refusedWith("CONFLICT", () =>
      issueStatement({ actor: a1, patchId: id, kind: "request" }),
    );
    await refusedWith("FORBIDDEN", () =>
      issueStatement({ actor: both, patchId: id, kind: "test", verdict: "fail" }),
    );
  });
});
