import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pino from "pino";
import { db } from "../lib/db";
import { CLI_BOOTSTRAP } from "../lib/auth/actor";
import { sha256Hex } from "../lib/crypto/hash";
import { addSystem } from "../lib/server/systems/add-system";
import { declareEmergency } from "../lib/server/emergencies/declare-emergency";
import { resetDatabase } from "../test/reset";
import { startTrackerReceiver } from "../test/workers/tracker-receiver";
import { makeSigner } from "../test/signers";
import { sampleDiff } from "../test/diffs";
import { sign } from "../test/emergencies";
import type { THandlerCtx } from "./handlers/context";
import { postTestResult } from "./handlers/emergency-test-result";
import { webhookSignature } from "./tracker/webhook";

// E3: a tester's signed result on option 1's patch goes to the patch's bug in
// the system's tracker, once, against a real local HTTP server.

const MANTIS_TOKEN = "mantis-token-emergency";
const WEBHOOK_SECRET = "webhook-secret-emergency";
let tracker: Awaited<ReturnType<typeof startTrackerReceiver>>;

const ctx: THandlerCtx = {
  smtpUrl: "smtp://127.0.0.1:1",
  mailFrom: "patchgate@portal.example.org",
  publicUrl: "https://patchgate.example.org",
  secret: (n) => ({ WEBDB_MANTIS_TOKEN: MANTIS_TOKEN, WEBDB_WEBHOOK: WEBHOOK_SECRET })[n],
  log: pino({ level: "silent" }),
  timeoutMs: 3_000,
};

beforeAll(async () => {
  tracker = await startTrackerReceiver(91);
});
afterAll(async () => {
  await tracker?.close();
});
beforeEach(async () => {
  await resetDatabase();
  tracker.received.length = 0;
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
});

/** Option 1 up to one tester's signed result; returns the outbox row the result wrote. */
async function tested(verdict: "pass" | "fail") {
  const [admin, dev, assessor, tester] = await Promise.all([
    makeSigner(["CRITICAL_ADMIN"]),
    makeSigner(["DEVELOPER"]),
    makeSigner(["ASSESSOR"]),
    makeSigner(["TESTER"]),
  ]);
  const e = await declareEmergency({
    actor: admin,
    system: "webdb",
    title: "Login bypass",
    description: "d",
    severity: "critical",
  });
  await sign(dev, e.id, "option1-patch", "Fix.", {
    diff: new TextDecoder().decode(sampleDiff("t")),
    bugId: "4242",
  });
  await sign(assessor, e.id, "gate", "Reviewed.", {
    gate: "review-1",
    develCommit: "abcdef12",
    testServer: "test1.cacert.org",
  });
  await sign(tester, e.id, "gate", "Logins checked on test1.", { gate: "test", verdict });
  const row = await db.outbox.findFirstOrThrow({ where: { kind: "emergency.test-result" } });
  const patch = await db.patch.findFirstOrThrow({ where: { emergencyId: e.id } });
  return { e, tester, row, patch, moveId: (row.payload as { moveId: string }).moveId };
}

describe("option 1's test result in the bug tracker", () => {
  it("adds one MantisBT note to the patch's bug, even when the job runs twice", async () => {
    await db.targetSystem.update({
      where: { slug: "webdb" },
      data: {
        trackerKind: "MANTIS",
        trackerUrl: `${tracker.base}/mantis`,
        trackerSecretEnv: "WEBDB_MANTIS_TOKEN",
      },
    });
    const { e, tester, row, patch, moveId } = await tested("pass");
    await postTestResult(ctx, row.id, { moveId });
    await postTestResult(ctx, row.id, { moveId });
    expect(tracker.received.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /mantis/api/rest/issues/4242/notes",
    ]);
    expect(tracker.received[0].headers.authorization).toBe(MANTIS_TOKEN);
    const text = (JSON.parse(tracker.received[0].body) as { text: string }).text;
    expect(text).toBe(
      [
        `Emergency #${e.number}, option 1: test passed for patch #${patch.number} revision 1`,
        `Diff SHA-256: ${sha256Hex(sampleDiff("t"))}`,
        `Signed by ${tester.name} <${tester.email}> (key ${tester.fingerprint}).`,
        "",
        "Logins checked on test1.",
        "",
        `https://patchgate.example.org/emergencies/${e.number}`,
      ].join("\n"),
    );
    expect(await db.outbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      state: "DONE",
    });
  });

  it("posts a failure once through the signed webhook", async () => {
    await db.targetSystem.update({
      where: { slug: "webdb" },
      data: {
        trackerKind: "WEBHOOK",
        trackerUrl: `${tracker.base}/hook`,
        trackerSecretEnv: "WEBDB_WEBHOOK",
      },
    });
    const { row, patch, moveId } = await tested("fail");
    await postTestResult(ctx, row.id, { moveId });
    await postTestResult(ctx, row.id, { moveId });
    expect(tracker.received).toHaveLength(1);
    const [r] = tracker.received;
    expect(r.headers["x-patchgate-signature"]).toBe(
      webhookSignature(WEBHOOK_SECRET, String(r.headers["x-patchgate-timestamp"]), r.body),
    );
    expect(JSON.parse(r.body)).toMatchObject({
      event: "emergency.test-result",
      bug: "4242",
      verdict: "fail",
      patch: { number: patch.number, revision: 1 },
    });
  });
});
