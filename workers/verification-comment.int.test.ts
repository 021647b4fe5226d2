import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pino from "pino";
import { db } from "../lib/db";
import { writeOutbox } from "../lib/jobs/outbox";
import { resetDatabase } from "../test/reset";
import { startTrackerReceiver } from "../test/workers/tracker-receiver";
import { makeSigner, type TSigner } from "../test/signers";
import {
  makeApprovedRecord,
  makeVerifySignoff,
  PACKAGES,
  type TTracker,
} from "../test/update-verification";
import { PermanentError, type THandlerCtx } from "./handlers/context";
import { postVerificationComment } from "./handlers/verification-comment";
import { webhookSignature } from "./tracker/webhook";

// S3: a signed update-verify goes to the bug tracker once, as a MantisBT note or
// the signed webhook, against a real local HTTP server standing in for both.

const MANTIS_TOKEN = "mantis-token-verify";
const WEBHOOK_SECRET = "webhook-secret-verify";
let tracker: Awaited<ReturnType<typeof startTrackerReceiver>>;
let submitter: TSigner;
let tester: TSigner;

const ctx: THandlerCtx = {
  smtpUrl: "smtp://127.0.0.1:1",
  mailFrom: "patchgate@portal.example.org",
  publicUrl: "https://patchgate.example.org",
  secret: (n) => ({ UBUNTU_MANTIS_TOKEN: MANTIS_TOKEN, UBUNTU_WEBHOOK_SECRET: WEBHOOK_SECRET })[n],
  log: pino({ level: "silent" }),
  timeoutMs: 3_000,
};

beforeAll(async () => {
  tracker = await startTrackerReceiver(77);
});
afterAll(async () => {
  await tracker?.close();
});
beforeEach(async () => {
  await resetDatabase();
  tracker.received.length = 0;
  [submitter, tester] = await Promise.all([makeSigner(["ASSESSOR"]), makeSigner(["TESTER"])]);
});

const JAMMY = Object.fromEntries(PACKAGES.map((p) => [p, "2.9.0-1~22.04.1"]));

async function signed(tracker: TTracker, verdict: "pass" | "fail" = "pass") {
  const r = await makeApprovedRecord(submitter, tracker);
  const signoff = await makeVerifySignoff(r, tester, {
    series: "jammy",
    verdict,
    comment: "Installed from jammy-proposed; certbot renew --dry-run works with apache and nginx.",
    versions: JAMMY,
  });
  const row = await db.$transaction((tx) =>
    writeOutbox(
      tx,
      "update.verification-comment",
      { signoffId: signoff.id },
      `update.verification-comment:${signoff.id}`,
    ),
  );
  return { ...r, signoff, outboxId: row.id };
}

const expectedNote = (recordId: string, verdict: "done" | "failed") =>
  [
    `Verification ${verdict} for jammy (verification-${verdict}-jammy)`,
    `Signed by ${tester.name} <${tester.email}> (key ${tester.fingerprint}).`,
    "",
    "Installed from jammy-proposed; certbot renew --dry-run works with apache and nginx.",
    "",
    "python-acme 2.9.0-1~22.04.1",
    "python-certbot 2.9.0-1~22.04.1",
    "python-certbot-apache 2.9.0-1~22.04.1",
    "python-certbot-nginx 2.9.0-1~22.04.1",
    "",
    `https://patchgate.example.org/updates/${recordId}`,
  ].join("\n");

describe("the verification comment", () => {
  it("adds one MantisBT note to the bug, even when the job runs twice", async () => {
    const { record, outboxId, signoff } = await signed({
      kind: "MANTIS",
      url: `${tracker.base}/mantis`,
      secretEnv: "UBUNTU_MANTIS_TOKEN",
    });
    await postVerificationComment(ctx, outboxId, { signoffId: signoff.id });
    await postVerificationComment(ctx, outboxId, { signoffId: signoff.id });
    expect(tracker.received.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /mantis/api/rest/issues/1640978/notes",
    ]);
    expect(tracker.received[0].headers.authorization).toBe(MANTIS_TOKEN);
    expect(JSON.parse(tracker.received[0].body)).toEqual({
      text: expectedNote(record.id, "done"),
      view_state: { name: "public" },
    });
    expect((await db.outbox.findUniqueOrThrow({ where: { id: outboxId } })).state).toBe("DONE");
  });

  it("posts one signed webhook event with the verdict, tag and versions, even when run twice", async () => {
    const { record, outboxId, signoff, system } = await signed(
      { kind: "WEBHOOK", url: `${tracker.base}/hook`, secretEnv: "UBUNTU_WEBHOOK_SECRET" },
      "fail",
    );
    await postVerificationComment(ctx, outboxId, { signoffId: signoff.id });
    await postVerificationComment(ctx, outboxId, { signoffId: signoff.id });
    expect(tracker.received).toHaveLength(1);
    const r = tracker.received[0];
    const timestamp = String(r.headers["x-patchgate-timestamp"]);
    expect(r.headers["x-patchgate-signature"]).toBe(
      webhookSignature(WEBHOOK_SECRET, timestamp, r.body),
    );
    expect(r.headers["x-patchgate-delivery"]).toBe(outboxId);
    expect(JSON.parse(r.body)).toEqual({
      event: "update.verification",
      deliveryId: outboxId,
      system: system.slug,
      update: {
        number: record.number,
        title: "certbot 2.9.0",
        url: `https://patchgate.example.org/updates/${record.id}`,
      },
      bug: "1640978",
      series: "jammy",
      verdict: "fail",
      tag: "verification-failed-jammy",
      comment:
        "Installed from jammy-proposed; certbot renew --dry-run works with apache and nginx.",
      versions: JAMMY,
      note: expectedNote(record.id, "failed"),
    });
  });

  it("fails at once, sending nothing, when the system has no tracker or its secret is unset", async () => {
    const none = await signed(null);
    await expect(
      postVerificationComment(ctx, none.outboxId, { signoffId: none.signoff.id }),
    ).rejects.toThrow(PermanentError);
    const unset = await signed({
      kind: "MANTIS",
      url: `${tracker.base}/mantis`,
      secretEnv: "NOT_SET_HERE",
    });
    await expect(
      postVerificationComment(ctx, unset.outboxId, { signoffId: unset.signoff.id }),
    ).rejects.toThrow(/NOT_SET_HERE .* is not set/);
    expect(tracker.received).toEqual([]);
  });
});
