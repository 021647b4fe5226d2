import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { db } from "../lib/db";
import { resetDatabase } from "../test/reset";
import { makePerson } from "../test/factories";
import { gpgHome } from "../peers/gpg";
import { CLI_BOOTSTRAP } from "../lib/auth/actor";
import { addSystem } from "../lib/server/systems/add-system";
import { declareEmergency } from "../lib/server/emergencies/declare-emergency";
import { sweepEscalations } from "../lib/server/emergencies/sweep-escalations";
import { writeOutbox } from "../lib/jobs/outbox";
import { sha256Hex } from "../lib/crypto/hash";
import { makeSigner } from "../test/signers";
import { sampleDiff } from "../test/diffs";
import { sign } from "../test/emergencies";
import { portalPublicKey } from "../lib/server/portal-key/portal-key";
import { startMailRuntime, waitFor } from "../test/workers/mail-runtime";
import { splitSigned } from "../peers/mime-parts";

// E1–E3: emergency notices reach every approved member of the teams, as mail
// signed with the portal key, once, however often the jobs run.
let peers: Awaited<ReturnType<typeof startMailRuntime>>;
let smtp: Awaited<ReturnType<typeof startMailRuntime>>["smtp"];
let runtime: Awaited<ReturnType<typeof startMailRuntime>>["runtime"];

beforeAll(async () => {
  peers = await startMailRuntime("em");
  ({ smtp, runtime } = peers);
});

afterAll(async () => {
  await peers?.close();
});

beforeEach(async () => {
  await resetDatabase();
  smtp.messages.length = 0;
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "CAcert webdb" });
});

describe("emergency notices", () => {
  it("tell every team member at once, signed with the portal key, and only once", async () => {
    const admin = await makePerson(["CRITICAL_ADMIN"]);
    const team = await Promise.all([
      makePerson(["ASSESSOR"]),
      makePerson(["TESTER"]),
      makePerson(["DEVELOPER"]),
      makePerson(["ACCESS_ENGINEER"]),
    ]);
    const arbitrator = await makePerson(["ARBITRATOR"]);
    const e = await declareEmergency({
      actor: admin,
      system: "webdb",
      title: "Signer queue stalled",
      description: "No certificates issued since 02:00.",
      severity: "critical",
    });

    await waitFor("the declaration mail", () => smtp.messages.length === 1);
    const [mail] = smtp.messages;
    expect(mail.to.sort()).toEqual([admin, ...team].map((p) => p.email).sort());
    expect(mail.to).not.toContain(arbitrator.email);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toBe(
      `[emergency #${e.number}] Declared by ${admin.name}: Signer queue stalled`,
    );
    expect(parsed.text).toContain("No certificates issued since 02:00.");

    const { signed, signature } = splitSigned(mail.raw);
    const g = gpgHome();
    try {
      g.gpg(["--import"], (await portalPublicKey()).publicArmored);
      writeFileSync(path.join(g.home, "m.eml"), signed, "ascii");
      writeFileSync(path.join(g.home, "m.asc"), signature);
      expect(
        g.gpg([
          "--status-fd",
          "1",
          "--verify",
          path.join(g.home, "m.asc"),
          path.join(g.home, "m.eml"),
        ]),
      ).toContain("[GNUPG:] GOODSIG");
    } finally {
      g.cleanup();
    }

    // The job delivered again: the receipt stops a second mail.
    await db.outbox.updateMany({ data: { state: "PENDING", enqueuedAt: null } });
    await runtime.queue.add(
      "emergency.declared",
      { outboxId: (await db.outbox.findFirstOrThrow()).id },
      { jobId: `again-${randomBytes(3).toString("hex")}` },
    );
    await runtime.dispatchOnce();
    await waitFor(
      "the row to be done again",
      async () => (await db.outbox.count({ where: { state: "DONE" } })) === 1,
    );
    expect(smtp.messages).toHaveLength(1);
  });

  it("escalate at the clock's marks and remind silent teams", async () => {
    const admin = await makePerson(["CRITICAL_ADMIN"]);
    const tester = await makePerson(["TESTER"]);
    const declaredAt = new Date(Date.now() - 13 * 3_600_000);
    const e = await declareEmergency({
      actor: admin,
      now: declaredAt,
      system: "webdb",
      title: "OCSP down",
      description: "d",
      severity: "high",
    });
    await sweepEscalations({ now: new Date(), marks: [12, 6, 2] });

    // 13 h in: the 12-hours-left mark is passed; every team is reminded once this hour.
    await waitFor("escalation and reminders", () =>
      smtp.messages.some((m) => m.raw.includes("12 h left")),
    );
    await waitFor(
      "all rows done",
      async () => (await db.outbox.count({ where: { state: { not: "DONE" } } })) === 0,
    );
    const subjects = await Promise.all(
      smtp.messages.map(async (m) => (await simpleParser(m.raw)).subject),
    );
    expect(subjects).toContain(`[emergency #${e.number}] 12 h left on the 24-hour clock`);
    expect(subjects).toContain(
      `[emergency #${e.number}] Reminder: the testers have not confirmed standby`,
    );
    const reminder = smtp.messages.find((m) => m.raw.includes("Reminder: the testers"))!;
    expect(reminder.to).toEqual([tester.email]);

    const before = smtp.messages.length;
    await sweepEscalations({ now: new Date(), marks: [12, 6, 2] });
    await runtime.dispatchOnce();
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.messages).toHaveLength(before);
  });

  it("tell everyone once when the deadline passes, though swept twice, and no reminder then", async () => {
    const admin = await makePerson(["CRITICAL_ADMIN"]);
    const tester = await makePerson(["TESTER"]);
    const e = await declareEmergency({
      actor: admin,
      now: new Date(Date.now() - 25 * 3_600_000),
      system: "webdb",
      title: "OCSP down",
      description: "d",
      severity: "high",
    });
    await waitFor("the declaration mail", () => smtp.messages.length === 1);
    await sweepEscalations({ marks: [12, 6, 2] });
    await sweepEscalations({ marks: [12, 6, 2] });
    await waitFor(
      "all rows done",
      async () => (await db.outbox.count({ where: { state: { not: "DONE" } } })) === 0,
    );
    await runtime.dispatchOnce();
    await new Promise((r) => setTimeout(r, 500));
    const subjects = await Promise.all(
      smtp.messages.map(async (m) => (await simpleParser(m.raw)).subject),
    );
    expect(subjects.slice(1)).toEqual([`[emergency #${e.number}] The 24-hour deadline has passed`]);
    expect(smtp.messages[1].to.sort()).toEqual([admin.email, tester.email].sort());
  });

  it("skip a reminder or escalation whose emergency ended before the job ran", async () => {
    const admin = await makePerson(["CRITICAL_ADMIN"]);
    await makePerson(["TESTER"]);
    const e = await declareEmergency({
      actor: admin,
      system: "webdb",
      title: "False alarm",
      description: "d",
      severity: "high",
    });
    await waitFor("the declaration mail", () => smtp.messages.length === 1);
    await db.emergency.update({
      where: { id: e.id },
      data: { state: "CLOSED", closedAt: new Date() },
    });
    await db.$transaction(async (tx) => {
      await writeOutbox(tx, "emergency.reminder", { emergencyId: e.id, team: "TESTERS" }, "r1");
      await writeOutbox(tx, "emergency.escalation", { emergencyId: e.id, hoursBefore: 2 }, "r2");
      await writeOutbox(tx, "emergency.closed", { emergencyId: e.id }, "r3");
    });
    await runtime.dispatchOnce();
    await waitFor(
      "all rows done",
      async () => (await db.outbox.count({ where: { state: { not: "DONE" } } })) === 0,
    );
    const subjects = await Promise.all(
      smtp.messages.map(async (m) => (await simpleParser(m.raw)).subject),
    );
    expect(subjects.slice(1)).toEqual([`[emergency #${e.number}] Closed: not an emergency`]);
  });

  it("tell the critical admins, signed, when the 2nd review forwards option 1's patch", async () => {
    const [admin, dev, a1, a2, t1, t2] = await Promise.all(
      (["CRITICAL_ADMIN", "DEVELOPER", "ASSESSOR", "ASSESSOR", "TESTER", "TESTER"] as const).map(
        (r) => makeSigner([r]),
      ),
    );
    const e = await declareEmergency({
      actor: admin,
      system: "webdb",
      title: "Login bypass",
      description: "d",
      severity: "critical",
    });
    await sign(dev, e.id, "option1-patch", "Fix.", {
      diff: new TextDecoder().decode(sampleDiff("fw")),
    });
    await sign(a1, e.id, "gate", "Reviewed.", {
      gate: "review-1",
      develCommit: "abcdef12",
      testServer: "test1.cacert.org",
    });
    await sign(t1, e.id, "gate", "Passed.", { gate: "test", verdict: "pass" });
    await sign(t2, e.id, "gate", "Passed.", { gate: "test", verdict: "pass" });
    await sign(a2, e.id, "gate", "Forwarded.", { gate: "review-2" });
    const patch = await db.patch.findFirstOrThrow({ where: { emergencyId: e.id } });
    await waitFor("the forwarding mail", () =>
      smtp.messages.some((m) => m.raw.includes("forwarded for deployment")),
    );
    const mail = smtp.messages.find((m) => m.raw.includes("forwarded for deployment"))!;
    expect(mail.to).toEqual([admin.email]);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toBe(
      `[emergency #${e.number}] Option 1: patch #${patch.number} forwarded for deployment`,
    );
    expect(parsed.text).toContain(`Diff SHA-256: ${sha256Hex(sampleDiff("fw"))}`);
    expect(parsed.text).toContain(`/patches/${patch.id}/deployment`);
  });
});
