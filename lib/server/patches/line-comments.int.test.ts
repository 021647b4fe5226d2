import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { addProcessSystems, makeTeam, PATCH_FIELDS, type TTeam } from "../../../test/process";
import { detachSign, signoff } from "../../../test/signers";
import { sampleDiff } from "../../../test/diffs";
import { issueStatement } from "../statements/issue-statement";
import { submitPatch } from "./submit-patch";
import { recordSignoff } from "./record-signoff";
import { getPatch } from "./get-patch";

// A review's line comments: checked against the diff when the statement is
// issued, signed as part of it, copied into LineComment when it is recorded.

describe("line comments on a review", () => {
  let t: TTeam;
  let patchId: string;
  beforeEach(async () => {
    await resetDatabase();
    await addProcessSystems();
    t = await makeTeam();
    const p = await submitPatch({
      actor: t.dev,
      system: "webdb",
      ...PATCH_FIELDS,
      diff: sampleDiff(),
    });
    await signoff(t.dev, p.id, "submit");
    patchId = p.id;
  });

  it("are signed in the statement, recorded and shown by getPatch", async () => {
    const { statement } = await issueStatement({
      actor: t.a1,
      patchId,
      kind: "review",
      verdict: "approve",
      comment: "Read every line.",
      lineComments: [
        { file: "www/account.php", line: 11, text: "Check $res before use.\nAnd log it." },
        { file: "www/account.php", line: 10, text: "Select only what is needed." },
      ],
    });
    expect(statement).toContain(
      'line-comment-1: {"file":"www/account.php","line":10,"text":"Select only what is needed."}\n' +
        'line-comment-2: {"file":"www/account.php","line":11,"text":"Check $res before use.\\nAnd log it."}\n\nRead every line.\n',
    );
    await recordSignoff({
      actor: t.a1,
      statement,
      signature: await detachSign(t.a1.privateKey, statement),
    });
    const view = await getPatch({ actor: t.t1, patchId });
    const review = view.signoffs.find((s) => s.kind === "review")!;
    expect(review.lineComments).toEqual([
      { file: "www/account.php", line: 10, text: "Select only what is needed." },
      { file: "www/account.php", line: 11, text: "Check $res before use.\nAnd log it." },
    ]);
    expect(view.signoffs.find((s) => s.kind === "submit")!.lineComments).toEqual([]);
  });

  it.each([
    ["a file not in the diff", { file: "www/other.php", line: 10, text: "x" }, /not in this diff/],
    ["a line outside the hunks", { file: "www/account.php", line: 40, text: "x" }, /hunks/],
  ])("refuses %s with 400 and issues nothing", async (_, c, message) => {
    await expect(
      issueStatement({
        actor: t.a1,
        patchId,
        kind: "review",
        verdict: "approve",
        lineComments: [c],
      }),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      status: 400,
      message: expect.stringMatching(message),
    });
    expect(await db.statementNonce.count({ where: { userId: t.a1.id } })).toBe(0);
    expect(await db.lineComment.count()).toBe(0);
  });

  it("belong to reviews only", async () => {
    await expect(
      issueStatement({
        actor: t.t1,
        patchId,
        kind: "test",
        verdict: "pass",
        lineComments: [{ file: "www/account.php", line: 10, text: "x" }],
      }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
  });

  it("altered after issue, fail verification and nothing is written", async () => {
    const { statement } = await issueStatement({
      actor: t.a1,
      patchId,
      kind: "review",
      verdict: "reject",
      lineComments: [{ file: "www/account.php", line: 11, text: "Wrong." }],
    });
    const altered = statement.replace('"text":"Wrong."', '"text":"Fine."');
    await expect(
      recordSignoff({
        actor: t.a1,
        statement: altered,
        signature: await detachSign(t.a1.privateKey, altered),
      }),
    ).rejects.toMatchObject({ code: "SIGNATURE_REFUSED" });
    expect(await db.lineComment.count()).toBe(0);
    expect(await db.signoff.count({ where: { kind: "REVIEW" } })).toBe(0);
  });
});
