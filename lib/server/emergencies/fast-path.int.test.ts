import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { detachSign, makeSigner, signoff, type TSigner } from "../../../test/signers";
import { sampleDiff } from "../../../test/diffs";
import { sign } from "../../../test/emergencies";
import { makeTeam, type TTeam } from "../../../test/process";
import { EMERGENCY_FIX_EVIDENCE, tickStep, tickSteps } from "../../../test/steps";
import { sha256Hex } from "../../crypto/hash";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { addSystem } from "../systems/add-system";
import { openDeployment } from "../deployments/open-deployment";
import { declareEmergency } from "./declare-emergency";
import { issueEmergencyStatement } from "./issue-emergency-statement";
import { recordMove } from "./record-move";
import { sweepEscalations } from "./sweep-escalations";
import { getFastPath } from "./fast-path-facts";
import { listQueue } from "../patches/list-queue";

// E3 on the server: option 1 runs on a real patch, its gates bind the diff and
// are read as the patch's sign-offs, and its deployment record resolves the
// emergency. A false alarm ends with two signatures. The clock's last notice.

const HOUR = 3_600_000;
const diff = (tag: string) => new TextDecoder().decode(sampleDiff(tag));
const TRANSFER = { develCommit: "a1b2c3d4e5f6", testServer: "test1.cacert.org" };

let t: TTeam;
/** Holds both roles: prepares the patch (as developer) and could review it (as assessor). */
let prep: TSigner;
/** An assessor who is also a tester: one person fills one gate only. */
let both: TSigner;

/** What a refused step must not have changed. */
async function snapshot() {
  const [moves, statements, nonces, audit, outbox, patches, revisions, emergencies] =
    await Promise.all([
      db.emergencyMove.count(),
      db.signedStatement.count(),
      db.statementNonce.count({ where: { usedAt: { not: null } } }),
      db.auditEvent.count(),
      db.outbox.count(),
      db.patch.findMany({ orderBy: { number: "asc" } }),
      db.patchRevision.count(),
      db.emergency.findMany({ orderBy: { number: "asc" } }),
    ]);
  return { moves, statements, nonces, audit, outbox, patches, revisions, emergencies };
}

async function declare(by: TSigner = t.ca1, now = new Date()) {
  return declareEmergency({
    actor: by,
    system: "webdb",
    title: "Login bypass on webdb",
    description: "Password check skipped for some accounts.",
    severity: "critical",
    now,
  });
}

async function patchOf(emergencyId: string) {
  return db.patch.findFirstOrThrow({
    where: { emergencyId },
    include: { revisions: { orderBy: { number: "asc" } } },
  });
}

beforeEach(async () => {
  await resetDatabase();
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
  t = await makeTeam();
  [prep, both] = await Promise.all([
    makeSigner(["DEVELOPER", "ASSESSOR"]),
    makeSigner(["ASSESSOR", "TESTER"]),
  ]);
});

describe("option 1 on a patch (E3)", () => {
  it("runs prepared → 1st review with the transfer → testers → 2nd review → deployment record, and the deploy resolves the emergency", async () => {
    const e = await declare();
    await sign(prep, e.id, "option1-patch", "Fix the password check.", {
      diff: diff("one"),
      bugId: "1234",
    });
    let patch = await patchOf(e.id);
    expect(patch).toMatchObject({
      emergencyId: e.id,
      authorId: prep.id,
      title: "Emergency #" + e.number + ": Login bypass on webdb",
      bugId: "1234",
      bugSummary: "Login bypass on webdb",
      currentRevision: 1,
      state: "IN_REVIEW",
    });
    const prepared = await db.emergencyMove.findFirstOrThrow({ where: { kind: "option1-patch" } });
    expect(prepared.data).toMatchObject({ patchId: patch.id, sha256: sha256Hex(diff("one")) });
    expect(await db.auditEvent.count({ where: { action: "patch.created" } })).toBe(1);
    // The queue offers no sign-off on it: its gates are signed on the emergency.
    expect((await listQueue({ actor: t.a1 })).review).toEqual([]);

    await sign(t.a1, e.id, "gate", "Reviewed, moved to cacert-devel and test1.", {
      gate: "review-1",
      ...TRANSFER,
    });
    const review1 = await db.signedStatement.findFirstOrThrow({
      where: { kind: "emergency.gate" },
    });
    expect(review1.statement).toContain(`patch-number: ${patch.number}\n`);
    expect(review1.statement).toContain(`patch-sha256: ${sha256Hex(diff("one"))}\n`);
    expect(review1.statement).toContain(
      "devel-commit: a1b2c3d4e5f6\ntest-server: test1.cacert.org\n",
    );
    expect(
      (await db.emergencyMove.findFirstOrThrow({ where: { statementId: review1.id } })).data,
    ).toMatchObject({ gate: "review-1", ...TRANSFER, patchId: patch.id });

    await sign(t.t1, e.id, "gate", "Logins checked on test1.", { gate: "test", verdict: "pass" });
    expect((await db.patch.findUniqueOrThrow({ where: { id: patch.id } })).state).toBe("IN_REVIEW");
    const testerAdmin = await makeSigner(["TESTER", "CRITICAL_ADMIN"]);
    await sign(testerAdmin, e.id, "gate", "Checked too.", { gate: "test", verdict: "pass" });
    expect(await db.outbox.count({ where: { kind: "emergency.test-result" } })).toBe(2);
    await sign(t.a2, e.id, "gate", "Second review; forwarded to the critical team.", {
      gate: "review-2",
    });
    patch = await patchOf(e.id);
    expect(patch.state).toBe("REQUESTED");
    expect(await db.outbox.count({ where: { kind: "emergency.forwarded" } })).toBe(1);
    expect(await db.signoff.count()).toBe(0);
    expect((await listQueue({ actor: t.ca2 })).deploy.map((i) => [i.id, i.state])).toEqual([
      [patch.id, "REQUESTED"],
    ]);
    // X3: a critical admin who signed a gate (here as the 2nd tester) waits for another.
    expect((await listQueue({ actor: testerAdmin })).deploy).toEqual([]);
    await expect(openDeployment({ actor: testerAdmin, patchId: patch.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/you tested this patch/),
    });

    // The critical team deploys through the normal record; X3 counts the gates' signers.
    const record = await openDeployment({ actor: t.ca2, patchId: patch.id });
    // Once the patch is being deployed, this was no false alarm.
    const moves = await db.emergencyMove.count();
    await expect(sign(t.a1, e.id, "close", "Not real after all.")).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/being deployed/),
    });
    expect(await db.emergencyMove.count()).toBe(moves);
    await tickSteps(t.ca2, patch.id, 8, EMERGENCY_FIX_EVIDENCE);
    expect((await db.emergency.findUniqueOrThrow({ where: { id: e.id } })).state).toBe("OPTION1");
    const done = await tickStep({ actor: t.ca2, patchId: patch.id, number: 9, evidence: {} });
    expect(done.state).toBe("DEPLOYED");
    // Step 1 shows the request: here the 2nd assessor review that forwarded the patch.
    expect(
      (await db.deploymentStep.findFirstOrThrow({ where: { recordId: record.id, number: 1 } }))
        .evidence,
    ).toMatchObject({ request: { signer: t.a2.name, fingerprint: t.a2.fingerprint } });

    const em = await db.emergency.findUniqueOrThrow({ where: { id: e.id } });
    expect(em.state).toBe("RESOLVED");
    expect(em.resolvedAt).toBeInstanceOf(Date);
    const deploy = await db.emergencyMove.findFirstOrThrow({
      where: { kind: "gate", data: { path: ["gate"], equals: "deploy" } },
    });
    expect(deploy).toMatchObject({
      actorId: t.ca2.id,
      statementId: null,
      data: {
        gate: "deploy",
        sha256: sha256Hex(diff("one")),
        deploymentId: record.id,
        patchId: patch.id,
      },
    });
    expect(
      await db.auditEvent.findMany({
        where: { action: "emergency.fast-path-deployed" },
        select: { payload: true },
      }),
    ).toEqual([
      { payload: { patchId: patch.id, deploymentId: record.id, sha256: sha256Hex(diff("one")) } },
    ]);
    const view = await getFastPath(e.id, { actor: t.ca3 });
    expect(view).toMatchObject({
      patch: { id: patch.id, state: "DEPLOYED", revision: 1 },
      tests: { passed: 2, failed: 0, need: 2 },
      deployment: { id: record.id },
      deadlinePassed: false,
    });
    expect(view.gates.map((g) => [g.gate, g.by])).toEqual([
      ["review-1", t.a1.name],
      ["test", t.t1.name],
      ["test", testerAdmin.name],
      ["review-2", t.a2.name],
      ["deploy", t.ca2.name],
    ]);
  });

  it("refuses, with nothing written: a gate before the patch, out of order, by the preparer, by the same person twice, without the transfer", async () => {
    const e = await declare();
    let before = await snapshot();
    await expect(
      sign(t.a1, e.id, "gate", "", { gate: "review-1", ...TRANSFER }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Option 1 runs on a patch: it must be prepared (a diff) first.",
      details: { rule: "E3" },
    });
    await expect(sign(prep, e.id, "option1-patch", "no diff", {})).rejects.toMatchObject({
      code: "VALIDATION",
      message: "Attach the patch (a unified diff).",
    });
    await expect(sign(t.t1, e.id, "option1-patch", "", { diff: diff("x") })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await snapshot()).toEqual(before);

    await sign(prep, e.id, "option1-patch", "Fix.", { diff: diff("one") });
    before = await snapshot();
    await expect(
      sign(t.t1, e.id, "gate", "", { gate: "test", verdict: "pass" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/gates go in order: the next one is "1st assessor review"/),
    });
    await expect(
      sign(prep, e.id, "gate", "", { gate: "review-1", ...TRANSFER }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Who prepared the patch does not sign its gates.",
    });
    await expect(sign(t.a1, e.id, "gate", "", { gate: "review-1" })).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/development commit and the test server/),
    });
    await expect(
      sign(t.a1, e.id, "gate", "", {
        gate: "review-1",
        develCommit: "xyz",
        testServer: "test1",
      }),
    ).rejects.toThrow(/7 to 64 hex digits/);
    await expect(
      sign(t.a1, e.id, "gate", "", {
        gate: "review-1",
        develCommit: "abcdef1",
        testServer: "bad host/",
      }),
    ).rejects.toThrow(/host name/);
    expect(await snapshot()).toEqual(before);

    await sign(both, e.id, "gate", "Reviewed.", { gate: "review-1", ...TRANSFER });
    before = await snapshot();
    await expect(
      sign(both, e.id, "gate", "", { gate: "test", verdict: "pass" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: `Option 1's gates need different people: you already signed "1st assessor review".`,
    });
    await expect(sign(t.t1, e.id, "gate", "", { gate: "test" })).rejects.toMatchObject({
      code: "VALIDATION",
      message: "The test result: pass or fail.",
    });
    await expect(
      sign(t.t1, e.id, "gate", "", { gate: "test", verdict: "justified" }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    // The deploy gate is the deployment record's, never a statement.
    await expect(sign(t.ca2, e.id, "gate", "", { gate: "deploy" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a statement naming the diff before a new revision (409), and ordinary sign-offs on the fast-path patch (403)", async () => {
    const e = await declare();
    await sign(prep, e.id, "option1-patch", "Fix.", { diff: diff("one") });
    const patch = await patchOf(e.id);
    let before = await snapshot();
    await expect(signoff(t.a2, patch.id, "review", "approve", "Looks fine.")).rejects.toMatchObject(
      {
        code: "FORBIDDEN",
        message: expect.stringMatching(/on emergency #\d+'s fast path/),
      },
    );
    expect(await snapshot()).toEqual(before);

    await sign(t.a1, e.id, "gate", "Reviewed.", { gate: "review-1", ...TRANSFER });
    await sign(t.t1, e.id, "gate", "Fails on test1: logins refused.", {
      gate: "test",
      verdict: "fail",
    });
    expect((await db.patch.findUniqueOrThrow({ where: { id: patch.id } })).state).toBe("BLOCKED");
    await expect(
      sign(t.t2, e.id, "gate", "", { gate: "test", verdict: "pass" }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/new revision/) });

    await sign(t.dev, e.id, "option1-patch", "Fix, take two.", { diff: diff("two") });
    const revised = await patchOf(e.id);
    expect(revised.id).toBe(patch.id);
    expect(revised.revisions.map((r) => [r.number, r.uploadedById])).toEqual([
      [1, prep.id],
      [2, t.dev.id],
    ]);
    expect(revised.state).toBe("IN_REVIEW");
    expect(await db.auditEvent.count({ where: { action: "patch.revised" } })).toBe(1);
    // Neither preparer signs a gate of it.
    await expect(
      sign(prep, e.id, "gate", "", { gate: "review-1", ...TRANSFER }),
    ).rejects.toMatchObject({ code: "CONFLICT", details: { rule: "E3" } });

    // A statement issued for revision 2, recorded after revision 3 was prepared.
    const { statement } = await issueEmergencyStatement({
      actor: t.a2,
      emergencyId: e.id,
      kind: "gate",
      gate: "review-1",
      ...TRANSFER,
      comment: "Reviewed revision 2.",
    });
    await sign(t.dev, e.id, "option1-patch", "Fix, take three.", { diff: diff("three") });
    before = await snapshot();
    await expect(
      recordMove({
        actor: t.a2,
        statement,
        signature: await detachSign(t.a2.privateKey, statement),
      }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: "This statement names an earlier diff: the patch has a new revision.",
    });
    expect(await snapshot()).toEqual(before);
  });
});

describe("false alarms (E1)", () => {
  it("close needs the declarer and a second critical admin or assessor, signed with reasons; two non-declarers are refused", async () => {
    const e = await declare(t.ca1);
    await expect(sign(t.a1, e.id, "close", "")).rejects.toMatchObject({
      code: "CONFLICT",
      details: { rule: "REASON" },
    });
    await expect(sign(t.t1, e.id, "close", "Not real.")).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await sign(t.a1, e.id, "close", "The accounts were test accounts without passwords.");
    expect((await db.emergency.findUniqueOrThrow({ where: { id: e.id } })).state).toBe("DECLARED");
    const before = await snapshot();
    await expect(sign(t.a2, e.id, "close", "Agreed, not real.")).rejects.toMatchObject({
      code: "CONFLICT",
      message: "A second person has already signed the closing: the declarer signs next.",
    });
    expect(await snapshot()).toEqual(before);
    expect(await db.outbox.count({ where: { kind: "emergency.closed" } })).toBe(0);

    await sign(t.ca1, e.id, "close", "Confirmed: a false alarm.");
    const em = await db.emergency.findUniqueOrThrow({ where: { id: e.id } });
    expect(em.state).toBe("CLOSED");
    expect(em.closedAt).toBeInstanceOf(Date);
    expect(await db.outbox.count({ where: { kind: "emergency.closed" } })).toBe(1);
    await expect(sign(t.a2, e.id, "close", "Again.")).rejects.toMatchObject({
      code: "CONFLICT",
      details: { rule: "STATE" },
    });
  });

  it("close is refused once option 2 was used", async () => {
    const e = await declare(t.ca1);
    await sign(t.ca1, e.id, "option1-unfit", "The testers are unreachable.");
    await sign(t.a1, e.id, "option2-patch", "Tested locally.", { diff: diff("o2") });
    await sign(t.ca2, e.id, "option2-deploy", "Applied at 03:10 UTC.");
    const before = await snapshot();
    await expect(sign(t.ca1, e.id, "close", "Not an emergency after all.")).rejects.toMatchObject({
      code: "CONFLICT",
      message: `"Closed as not an emergency" is not possible while the emergency is on option 2.`,
    });
    expect(await snapshot()).toEqual(before);
  });
});

describe("the clock", () => {
  it("tells everyone once when the deadline passes, though swept twice; no reminders after it", async () => {
    const e = await declare(t.ca1, new Date(Date.now() - 25 * HOUR));
    await sweepEscalations({ marks: [12, 6, 2] });
    await sweepEscalations({ marks: [12, 6, 2] });
    expect(await db.outbox.findMany({ where: { kind: "emergency.deadline" } })).toEqual([
      expect.objectContaining({ payload: { emergencyId: e.id } }),
    ]);
    expect(await db.auditEvent.count({ where: { action: "emergency.deadline-passed" } })).toBe(1);
    expect(await db.outbox.count({ where: { kind: "emergency.reminder" } })).toBe(0);
    expect((await getFastPath(e.id, { actor: t.a1 })).deadlinePassed).toBe(true);
  });

  it("sends no reminder once the emergency is closed", async () => {
    const declaredAt = new Date(Date.now() - 3 * HOUR);
    const e = await declare(t.ca1, declaredAt);
    await sweepEscalations({ now: new Date(declaredAt.getTime() + 1 * HOUR) });
    expect(await db.outbox.count({ where: { kind: "emergency.reminder" } })).toBe(5);
    await sign(t.a1, e.id, "close", "False alarm.");
    await sign(t.ca1, e.id, "close", "Confirmed.");
    await sweepEscalations({ now: new Date(declaredAt.getTime() + 2 * HOUR) });
    await sweepEscalations({ now: new Date(declaredAt.getTime() + 30 * HOUR) });
    expect(await db.outbox.count({ where: { kind: "emergency.reminder" } })).toBe(5);
    expect(await db.outbox.count({ where: { kind: "emergency.deadline" } })).toBe(0);
  });
});
