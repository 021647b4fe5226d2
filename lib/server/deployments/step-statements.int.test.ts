import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import {
  addProcessSystems,
  makeTeam,
  PATCH_FIELDS,
  requestedPatch,
  type TTeam,
} from "../../../test/process";
import { detachSign, makeSigner, signoff } from "../../../test/signers";
import { tickStep } from "../../../test/steps";
import { sampleDiff } from "../../../test/diffs";
import { submitPatch } from "../patches/submit-patch";
import { recordPatchStatement } from "../statements/record-patch-statement";
import { issueStatement } from "../statements/issue-statement";
import { openDeployment } from "./open-deployment";
import { issueStepStatement } from "./issue-step-statement";
import { expectShape } from "../../../test/api-shape";
import { signoffReceipt, ZSignoffReceipt } from "../../api/patch-answers";
import { ZIssuedStatement } from "../../api/deployment-answers";

// X1, X3 and P5 on the server: each refused tick leaves nothing behind.

/** What a refused tick must not have changed. */
async function snapshot() {
  const [steps, statements, audit, outbox, records] = await Promise.all([
    db.deploymentStep.findMany({ orderBy: [{ recordId: "asc" }, { number: "asc" }] }),
    db.signedStatement.count(),
    db.auditEvent.count(),
    db.outbox.count(),
    db.deploymentRecord.count(),
  ]);
  return { steps, statements, audit, outbox, records };
}

async function ticked(
  t: TTeam,
  upTo: number,
  step4 = { assessment: "ok", webServerStopped: true },
) {
  const p = await requestedPatch(t);
  await openDeployment({ actor: t.ca1, patchId: p.id });
  const evidence: Record<number, Record<string, unknown>> = {
    3: { checksumMatched: true },
    4: step4,
  };
  for (let n = 1; n <= upTo; n++)
    await tickStep({ actor: t.ca1, patchId: p.id, number: n, evidence: evidence[n] ?? {} });
  return p;
}

describe("signed deployment steps", () => {
  let t: TTeam;
  beforeEach(async () => {
    await resetDatabase();
    await addProcessSystems();
    t = await makeTeam();
  });

  it("keeps a critical admin who reviewed, tested or requested the patch from opening or ticking it (X3)", async () => {
    const [reviewer, tester] = await Promise.all([
      makeSigner(["ASSESSOR", "CRITICAL_ADMIN"]),
      makeSigner(["TESTER", "CRITICAL_ADMIN"]),
    ]);
    const p = await submitPatch({
      actor: t.dev,
      system: "webdb",
      ...PATCH_FIELDS,
      diff: sampleDiff(),
    });
    await signoff(t.dev, p.id, "submit");
    await signoff(reviewer, p.id, "review", "approve");
    await signoff(t.a2, p.id, "review", "approve");
    await signoff(tester, p.id, "test", "pass");
    await signoff(t.t2, p.id, "test", "pass");
    await signoff(t.a3, p.id, "request");

    const before = await snapshot();
    await expect(openDeployment({ actor: reviewer, patchId: p.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/you reviewed this patch/),
    });
    expect(await snapshot()).toEqual(before);

    await openDeployment({ actor: t.ca1, patchId: p.id });
    const opened = await snapshot();
    for (const who of [reviewer, tester]) {
      await expect(
        issueStepStatement({ actor: who, patchId: p.id, number: 1, evidence: {} }),
      ).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/\(X3\)/) });
    }
    expect(await db.statementNonce.count({ where: { kind: "step" } })).toBe(0);
    expect(await snapshot()).toEqual(opened);
    // An uninvolved admin ticks.
    await tickStep({ actor: t.ca2, patchId: p.id, number: 1 });
    expect(await db.deploymentStep.count({ where: { status: "DONE" } })).toBe(1);
  });

  it("refuses a tick whose signature is not over the issued text, or whose evidence was changed, and uses no nonce", async () => {
    const p = await ticked(t, 0);
    const issued = await issueStepStatement({
      actor: t.ca1,
      patchId: p.id,
      number: 1,
      evidence: { note: "Request mail checked." },
    });
    expectShape(ZIssuedStatement, issued);
    const { statement } = issued;
    expect(statement).toMatch(/^kind: step\nverdict: done\n/m);
    expect(statement).toMatch(/\nstep: 1\nevidence-sha256: [0-9a-f]{64}\n/);
    expect(statement.endsWith('\n\n{"note":"Request mail checked."}\n')).toBe(true);
    const before = await snapshot();

    // Unsigned: a signature of another text.
    await expect(
      recordPatchStatement({
        actor: t.ca1,
        patchId: p.id,
        statement,
        signature: await detachSign(t.ca1.privateKey, "something else"),
      }),
    ).rejects.toMatchObject({ code: "SIGNATURE_REFUSED" });
    // Wrong evidence: the text changed after it was issued, signed as changed.
    const forged = statement.replace("Request mail checked.", "Nothing to check.");
    await expect(
      recordPatchStatement({
        actor: t.ca1,
        patchId: p.id,
        statement: forged,
        signature: await detachSign(t.ca1.privateKey, forged),
      }),
    ).rejects.toMatchObject({ code: "SIGNATURE_REFUSED", details: { reason: "modified" } });
    // Someone else's signature over the right text.
    await expect(
      recordPatchStatement({
        actor: t.ca2,
        patchId: p.id,
        statement,
        signature: await detachSign(t.ca2.privateKey, statement),
      }),
    ).rejects.toMatchObject({ code: "SIGNATURE_REFUSED" });
    expect(await snapshot()).toEqual(before);
    expect(await db.statementNonce.count({ where: { usedAt: { not: null }, kind: "step" } })).toBe(
      0,
    );

    // The step statement is no sign-off, and GET .../statement never issues one.
    await expect(
      issueStatement({ actor: t.ca1, patchId: p.id, kind: "step", verdict: "done" }),
    ).rejects.toMatchObject({ code: "VALIDATION" });

    // Signed as issued, it ticks and names its statement.
    const r = await recordPatchStatement({
      actor: t.ca1,
      patchId: p.id,
      statement,
      signature: await detachSign(t.ca1.privateKey, statement),
    });
    expect(r).toMatchObject({ kind: "step", step: { type: "tick", number: 1, status: "DONE" } });
    expectShape(ZSignoffReceipt, signoffReceipt(r));
    const step1 = await db.deploymentStep.findFirstOrThrow({ where: { number: 1 } });
    expect(step1.statementId).not.toBeNull();
    expect(await db.auditEvent.findFirst({ where: { action: "deployment.step" } })).toMatchObject({
      payload: expect.objectContaining({ statementId: step1.statementId }),
    });
  });

  it("refuses a failed apply without its back-out, or without the web server running again (P5)", async () => {
    const p = await ticked(t, 4);
    const before = await snapshot();
    const issue = (evidence: Record<string, unknown>) =>
      issueStepStatement({ actor: t.ca1, patchId: p.id, number: 5, evidence });
    const failed = { output: "Hunk #1 FAILED at 3.", result: "failed" };
    await expect(issue(failed)).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/records the back-out/),
    });
    await expect(issue({ ...failed, backOutOutput: "patching file a.php" })).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/stopped the web server at step 4/),
    });
    expect(await db.statementNonce.count({ where: { kind: "step", usedAt: null } })).toBe(0);
    expect(await snapshot()).toEqual(before);

    const done = await tickStep({
      actor: t.ca1,
      patchId: p.id,
      number: 5,
      evidence: { ...failed, backOutOutput: "patching file a.php", webServerRunning: true },
    });
    expect(done).toMatchObject({ status: "FAILED", state: "REWORK" });
    expect(
      await db.signedStatement.findFirst({
        where: { kind: "step" },
        orderBy: { receivedAt: "desc" },
      }),
    ).toMatchObject({
      statement: expect.stringMatching(
        /verdict: failed\n[\s\S]*"backOutOutput":"patching file a.php"/,
      ),
    });
  });

  it("records the first of two statements for the same step; the second is a conflict and writes nothing", async () => {
    const p = await ticked(t, 0);
    const [one, two] = await Promise.all(
      [t.ca1, t.ca2].map(async (who) => {
        const { statement } = await issueStepStatement({ actor: who, patchId: p.id, number: 1 });
        return { who, statement, signature: await detachSign(who.privateKey, statement) };
      }),
    );
    await recordPatchStatement({ actor: one.who, ...one });
    const before = await snapshot();
    await expect(recordPatchStatement({ actor: two.who, ...two })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect(await snapshot()).toEqual(before);
  });
});
