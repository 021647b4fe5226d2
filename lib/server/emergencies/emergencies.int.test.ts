import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { makeSigner, detachSign, type TSigner } from "../../../test/signers";
import { sampleDiff } from "../../../test/diffs";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { addSystem } from "../systems/add-system";
import { declareEmergency } from "./declare-emergency";
import { nameResponder } from "./name-responder";
import { issueEmergencyStatement } from "./issue-emergency-statement";
import { recordMove } from "./record-move";
import { getEmergency } from "./get-emergency";
import { getDispute } from "./get-dispute";
import { publicEmergencyLog } from "./public-log";
import { sweepEscalations } from "./sweep-escalations";
import { sign } from "../../../test/emergencies";
import { acknowledgeStandby } from "./acknowledge-standby";

const HOUR = 3_600_000;
type People = Record<
  "ada" | "bert" | "tara" | "carl" | "cora" | "dev" | "ari" | "ari2" | "eli",
  TSigner
>;
let t: People;
const diffText = () => new TextDecoder().decode(sampleDiff("e"));

async function people(): Promise<People> {
  const [ada, bert, tara, carl, cora, dev, ari, ari2, eli] = await Promise.all(
    (
      [
        "ASSESSOR",
        "ASSESSOR",
        "TESTER",
        "CRITICAL_ADMIN",
        "CRITICAL_ADMIN",
        "DEVELOPER",
        "ARBITRATOR",
        "ARBITRATOR",
        "ACCESS_ENGINEER",
      ] as const
    ).map((r) => makeSigner([r])),
  );
  return { ada, bert, tara, carl, cora, dev, ari, ari2, eli };
}

async function declare(now = new Date()) {
  return declareEmergency({
    actor: t.carl,
    system: "webdb",
    title: "Login bypass on webdb",
    description: "Password check skipped for some accounts.",
    severity: "critical",
    now,
  });
}

/** Option 1 unfit, the assessor's patch, the critical admin's deploy: option 2 done. */
async function throughOption2(id: string) {
  await sign(
    t.carl,
    id,
    "option1-unfit",
    "The 24 hours ran out: the testers could not be reached.",
  );
  await sign(t.ada, id, "option2-patch", "Tested locally against a copy of the database.", {
    diff: diffText(),
  });
  return sign(
    t.carl,
    id,
    "option2-deploy",
    "Applied the patch at 03:10 UTC, apache reloaded, login checked.",
  );
}

describe("emergencies (E1–E7)", () => {
  beforeEach(async () => {
    await resetDatabase();
    await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
    t = await people();
  });

  it("E1: a critical admin or an assessor declares; others cannot; all teams are told at once; the deadline is 24 h later", async () => {
    const now = new Date("2026-03-01T10:00:00Z");
    const e = await declare(now);
    expect(e.deadlineAt.toISOString()).toBe("2026-03-02T10:00:00.000Z");
    await declareEmergency({
      actor: t.ada,
      system: "webdb",
      title: "Second",
      description: "d",
      severity: "high",
    });
    for (const who of [t.tara, t.dev, t.ari]) {
      await expect(
        declareEmergency({
          actor: who,
          system: "webdb",
          title: "Nope",
          description: "d",
          severity: "high",
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await db.outbox.findMany({ where: { kind: "emergency.declared" } })).toHaveLength(2);
    expect(await db.auditEvent.count({ where: { action: "emergency.declared" } })).toBe(2);
  });

  it("E2: teams name responders, who acknowledge with a signed statement; nobody else can", async () => {
    const e = await declare();
    await nameResponder({
      actor: t.tara,
      emergencyId: e.id,
      team: "TESTERS",
      userId: t.tara.id,
      contact: "+49 30 1234",
    });
    await expect(
      nameResponder({
        actor: t.tara,
        emergencyId: e.id,
        team: "ASSESSORS",
        userId: t.ada.id,
        contact: "mail",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      nameResponder({
        actor: t.carl,
        emergencyId: e.id,
        team: "ASSESSORS",
        userId: t.tara.id,
        contact: "mail",
      }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    await nameResponder({
      actor: t.carl,
      emergencyId: e.id,
      team: "ASSESSORS",
      userId: t.ada.id,
      contact: "ada@irc",
    });
    await expect(sign(t.bert, e.id, "acknowledge")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await sign(t.tara, e.id, "acknowledge", "On standby until Monday.");
    const view = (await getEmergency({ actor: t.carl, number: e.number }))!;
    expect(view.responders.map((r) => [r.team, !!r.acknowledgedAt]).sort()).toEqual([
      ["ASSESSORS", false],
      ["TESTERS", true],
    ]);
    const st = await db.signedStatement.findFirstOrThrow({
      where: { kind: "emergency.acknowledge" },
    });
    expect(st.statement).toMatch(/^patchgate-statement v1\nkind: acknowledge\nteam: TESTERS\n/);
    await expect(sign(t.tara, e.id, "acknowledge")).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("E2: standby is no longer acknowledged once the emergency is over", async () => {
    const e = await declare();
    await nameResponder({
      actor: t.tara,
      emergencyId: e.id,
      team: "TESTERS",
      userId: t.tara.id,
      contact: "+49 30 1234",
    });
    const { statement } = await issueEmergencyStatement({
      actor: t.tara,
      emergencyId: e.id,
      kind: "acknowledge",
      comment: "On standby.",
    });
    await throughOption2(e.id);
    await sign(t.carl, e.id, "resolve", "Solved.");
    const audit = await db.auditEvent.count();
    await expect(
      acknowledgeStandby({
        actor: t.tara,
        statement,
        signature: await detachSign(t.tara.privateKey, statement),
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: "This emergency is over." });
    await expect(
      issueEmergencyStatement({ actor: t.tara, emergencyId: e.id, kind: "acknowledge" }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: "This emergency is over." });
    expect(
      await db.emergencyResponder.findFirstOrThrow({ where: { emergencyId: e.id } }),
    ).toMatchObject({ acknowledgedAt: null, statementId: null });
    expect(await db.auditEvent.count()).toBe(audit);
  });

  it("E3: option 1's gates go in order on the prepared patch, each by the right role, signed; the deploy is the deployment record's", async () => {
    const e = await declare();
    const transfer = { develCommit: "0123abcd", testServer: "test1.cacert.org" };
    await expect(sign(t.tara, e.id, "gate", "", { gate: "test" })).rejects.toMatchObject({
      code: "CONFLICT",
      details: { rule: "E3" },
    });
    await sign(t.dev, e.id, "option1-patch", "The fix.", { diff: diffText() });
    await expect(sign(t.tara, e.id, "gate", "", { gate: "review-1" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await sign(t.ada, e.id, "gate", "Reviewed, moved to cacert-devel and the test server.", {
      gate: "review-1",
      ...transfer,
    });
    await sign(t.tara, e.id, "gate", "Checked on test1, reported to the bug tracker.", {
      gate: "test",
      verdict: "pass",
    });
    const tara2 = await makeSigner(["TESTER"]);
    await sign(tara2, e.id, "gate", "Checked too.", { gate: "test", verdict: "pass" });
    await expect(sign(t.ada, e.id, "gate", "", { gate: "review-2" })).rejects.toMatchObject({
      details: { rule: "E3" },
    });
    await sign(t.bert, e.id, "gate", "Second review, forwarded to the critical team.", {
      gate: "review-2",
    });
    await expect(sign(t.carl, e.id, "gate", "Deployed.", { gate: "deploy" })).rejects.toMatchObject(
      { code: "CONFLICT", details: { rule: "E3" } },
    );
    const em = await db.emergency.findUniqueOrThrow({ where: { id: e.id } });
    expect(em.state).toBe("OPTION1");
    expect(await db.patch.findFirstOrThrow({ where: { emergencyId: e.id } })).toMatchObject({
      state: "REQUESTED",
    });
    expect(await db.dispute.count()).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "emergency.move" } })).toBe(5);
  });

  it("E3: escalation notices at the marks before the deadline and reminders, from an injected clock, once each", async () => {
    const declaredAt = new Date(Date.now() + 1000 * HOUR);
    const e = await declare(declaredAt);
    await nameResponder({
      actor: t.tara,
      emergencyId: e.id,
      team: "TESTERS",
      userId: t.tara.id,
      contact: "phone",
    });
    await sweepEscalations({ now: new Date(declaredAt.getTime() + 1 * HOUR), marks: [12, 6, 2] });
    expect(await db.outbox.count({ where: { kind: "emergency.escalation" } })).toBe(0);
    expect(await db.outbox.count({ where: { kind: "emergency.reminder" } })).toBe(5);
    await sweepEscalations({
      now: new Date(declaredAt.getTime() + 18.5 * HOUR),
      marks: [12, 6, 2],
    });
    await sweepEscalations({
      now: new Date(declaredAt.getTime() + 18.6 * HOUR),
      marks: [12, 6, 2],
    });
    const marks = (await db.outbox.findMany({ where: { kind: "emergency.escalation" } }))
      .map((o) => (o.payload as { hoursBefore: number }).hoursBefore)
      .sort();
    expect(marks).toEqual([12, 6]);
    const view = (await getEmergency({
      actor: t.carl,
      number: e.number,
      now: new Date(declaredAt.getTime() + 25 * HOUR),
    }))!;
    expect(view.clock).toMatchObject({ overdue: true, level: "overdue" });
  });

  it("E4: option 2 only after option 1 unfit; the assessor's signed patch, the admin's documented deploy, a dispute, and the patch re-enters as a new draft", async () => {
    const e = await declare(new Date(Date.now() - 25 * HOUR));
    await expect(
      issueEmergencyStatement({
        actor: t.ada,
        emergencyId: e.id,
        kind: "option2-patch",
        comment: "x",
        diff: diffText(),
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", details: { rule: "E4" } });
    await sign(t.carl, e.id, "option1-unfit", "The 24 hours ran out.");
    await expect(sign(t.carl, e.id, "option2-deploy", "no patch yet")).rejects.toMatchObject({
      details: { rule: "E6" },
    });
    await sign(t.ada, e.id, "option2-patch", "Tested locally.", { diff: diffText() });
    const done = (await sign(t.carl, e.id, "option2-deploy", "Applied at 03:10 UTC.")) as Awaited<
      ReturnType<typeof recordMove>
    >;
    expect(done).toMatchObject({ from: "DECLARED", to: "OPTION2" });
    const dispute = await db.dispute.findUniqueOrThrow({ where: { id: done.disputeId } });
    expect(dispute.reason).toMatch(/option 2[\s\S]*Applied at 03:10/);
    const patch = await db.patch.findUniqueOrThrow({
      where: { id: done.patchId },
      include: { revisions: true },
    });
    expect(patch).toMatchObject({ emergencyId: e.id, state: "DRAFT", authorId: t.ada.id });
    expect(Buffer.from(patch.revisions[0].diff).toString()).toBe(diffText());
    expect(await db.outbox.count({ where: { kind: "dispute.filed" } })).toBe(1);
  });

  it("E4: a patch swapped after signing is refused and nothing changes", async () => {
    const e = await declare();
    await sign(t.carl, e.id, "option1-unfit", "Testers unreachable.");
    const { statement } = await issueEmergencyStatement({
      actor: t.ada,
      emergencyId: e.id,
      kind: "option2-patch",
      comment: "tested",
      diff: diffText(),
    });
    const signature = await detachSign(t.ada.privateKey, statement);
    await expect(
      recordMove({ actor: t.ada, statement, signature, diff: diffText() + "\n+evil" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db.emergencyMove.count({ where: { kind: "option2-patch" } })).toBe(0);
    expect(
      await db.statementNonce.count({
        where: { usedAt: { not: null }, kind: "emergency.option2-patch" },
      }),
    ).toBe(0);
  });

  it("E4: the assessor who brought the option-2 patch cannot also deploy it, even holding both roles", async () => {
    const e = await declare();
    const both = await makeSigner(["ASSESSOR", "CRITICAL_ADMIN"]);
    await sign(t.carl, e.id, "option1-unfit", "The 24 hours ran out.");
    await sign(both, e.id, "option2-patch", "Tested locally.", { diff: diffText() });
    await expect(sign(both, e.id, "option2-deploy", "Deployed it myself.")).rejects.toMatchObject({
      code: "CONFLICT",
      details: { rule: "E4" },
    });
    await sign(t.carl, e.id, "option2-deploy", "Deployed and documented.");
    expect((await db.emergency.findUniqueOrThrow({ where: { id: e.id } })).state).toBe("OPTION2");
  });

  it("E4: a team recorded unreachable is also a basis for option 2", async () => {
    const e = await declare();
    await expect(
      sign(t.carl, e.id, "team-unreachable", "", { team: "TESTERS" }),
    ).rejects.toMatchObject({ details: { rule: "REASON" } });
    await sign(t.carl, e.id, "team-unreachable", "No tester answered phone or mail for 6 hours.", {
      team: "TESTERS",
    });
    await sign(t.ada, e.id, "option2-patch", "Tested locally.", { diff: diffText() });
    await sign(t.cora, e.id, "option2-deploy", "Deployed and documented.");
    expect((await db.emergency.findUniqueOrThrow({ where: { id: e.id } })).state).toBe("OPTION2");
  });

  it("E5: option 3 after option 2 failed, both declarations by two people, a one-time watched session with its log; a second dispute", async () => {
    const e = await declare();
    await expect(
      sign(t.carl, e.id, "option3-declaration", "insufficient", { as: "CRITICAL_ADMIN" }),
    ).rejects.toMatchObject({ details: { rule: "E5" } });
    await throughOption2(e.id);
    await sign(t.carl, e.id, "option2-failed", "Logins still bypassed.");
    await sign(
      t.carl,
      e.id,
      "option3-declaration",
      "Cannot find the cause without the live system.",
      { as: "CRITICAL_ADMIN" },
    );
    expect((await db.emergency.findUniqueOrThrow({ where: { id: e.id } })).state).toBe("OPTION2");
    await expect(
      sign(t.carl, e.id, "session-opened", "", { granteeId: t.ada.id }),
    ).rejects.toMatchObject({ details: { rule: "E6" } });
    await sign(t.ada, e.id, "option3-declaration", "Needs analysis on the live system.", {
      as: "ASSESSOR",
    });
    expect((await db.emergency.findUniqueOrThrow({ where: { id: e.id } })).state).toBe("OPTION3");
    expect(await db.dispute.count()).toBe(2);
    await expect(
      sign(t.carl, e.id, "session-opened", "", { granteeId: t.tara.id }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    await sign(t.carl, e.id, "session-opened", "Console on screen, watched.", {
      granteeId: t.ada.id,
    });
    await expect(sign(t.cora, e.id, "session-terminated", "")).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await sign(t.carl, e.id, "session-terminated", "Fix applied.");
    await expect(
      sign(t.carl, e.id, "session-disabled", "Account removed.", {
        log: "03:40 ada: grep login.php\n",
      }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    const patchesBefore = await db.patch.count();
    await sign(t.carl, e.id, "session-disabled", "Account removed, firewall rule dropped.", {
      log: "03:40 ada: grep login.php\n03:52 fixed\n",
      diff: diffText(),
    });
    // E5: the change made live re-enters the normal cycle as a new draft, authored by the one who made it.
    const reentered = await db.patch.findFirstOrThrow({
      where: { emergencyId: e.id },
      orderBy: { number: "desc" },
    });
    expect(await db.patch.count()).toBe(patchesBefore + 1);
    expect(reentered).toMatchObject({
      authorId: t.ada.id,
      state: "DRAFT",
      summary: expect.stringContaining("(option 3)"),
    });
    await expect(
      sign(t.cora, e.id, "session-opened", "", { granteeId: t.dev.id }),
    ).rejects.toMatchObject({ details: { rule: "E5" } });
    const s = await db.remoteSession.findFirstOrThrow();
    expect(s).toMatchObject({
      granteeId: t.ada.id,
      watcherId: t.carl.id,
      log: expect.stringContaining("fixed"),
    });
    expect(s.openedAt && s.terminatedAt && s.disabledAt).toBeTruthy();
    await sign(t.carl, e.id, "resolve", "Solved.");
    expect((await db.emergency.findUniqueOrThrow({ where: { id: e.id } })).state).toBe("RESOLVED");
  });

  it("E6: 20 concurrent option-2 deploys record one move, one patch, one dispute", async () => {
    const e = await declare();
    await sign(t.carl, e.id, "option1-unfit", "Out of time.");
    await sign(t.ada, e.id, "option2-patch", "Tested locally.", { diff: diffText() });
    const issued = await Promise.all(
      Array.from({ length: 20 }, () =>
        issueEmergencyStatement({
          actor: t.carl,
          emergencyId: e.id,
          kind: "option2-deploy",
          comment: "Deployed.",
        }),
      ),
    );
    const results = await Promise.allSettled(
      issued.map(async (s) =>
        recordMove({
          actor: t.carl,
          statement: s.statement,
          signature: await detachSign(t.carl.privateKey, s.statement),
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.dispute.count()).toBe(1);
    expect(await db.patch.count()).toBe(1);
  });

  it("E7: an arbitrator sees the full record and signs a ruling; one who took part cannot; the public log shows it without contact details", async () => {
    const e = await declare();
    await nameResponder({
      actor: t.carl,
      emergencyId: e.id,
      team: "CRITICAL_ADMINS",
      userId: t.carl.id,
      contact: "+49 170 5550123",
    });
    await throughOption2(e.id);
    const dispute = await db.dispute.findFirstOrThrow();
    // An arbitrator who took part in the emergency (here: as the testers' responder).
    const ariTester = await makeSigner(["ARBITRATOR", "TESTER"]);
    await nameResponder({
      actor: ariTester,
      emergencyId: e.id,
      team: "TESTERS",
      userId: ariTester.id,
      contact: "irc",
    });
    await expect(
      sign(ariTester, e.id, "ruling", "Fine.", { disputeId: dispute.id, verdict: "justified" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", details: { rule: "E7" } });
    await expect(getDispute({ actor: t.carl, number: dispute.number })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const record = (await getDispute({ actor: t.ari, number: dispute.number }))!;
    expect(record.mayRule).toBe(true);
    expect(record.audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "emergency.declared",
        "emergency.move",
        "dispute.filed",
        "patch.created",
      ]),
    );
    expect(record.emergency.statements.length).toBeGreaterThanOrEqual(3);
    await expect(
      sign(t.ari, e.id, "ruling", "", { disputeId: dispute.id, verdict: "justified" }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    await sign(
      t.ari,
      e.id,
      "ruling",
      "Option 1 could not finish in time; option 2 was used as the procedure says.",
      { disputeId: dispute.id, verdict: "justified" },
    );
    await expect(
      sign(t.ari2, e.id, "ruling", "Again.", { disputeId: dispute.id, verdict: "justified" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    // Still in progress (option 2 deployed, not resolved): the public sees only system and time.
    const log = await publicEmergencyLog();
    expect(log[0]).toMatchObject({ number: e.number, system: "webdb", inProgress: true });
    expect(log[0]).not.toHaveProperty("disputes");
    await sign(t.carl, e.id, "resolve", "Fixed; logins checked.");
    const ended = await publicEmergencyLog();
    expect(ended[0]).toMatchObject({
      number: e.number,
      option: 2,
      disputes: [{ state: "RULED", ruling: { verdict: "justified", by: t.ari.name } }],
    });
    const json = JSON.stringify(ended);
    expect(json).not.toContain("5550123");
    expect(json).not.toContain("@");
    expect(json).not.toContain("BEGIN PGP");
  });
});
