import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simpleParser } from "mailparser";
import pino from "pino";
import { db } from "../lib/db";
import { resetDatabase } from "../test/reset";
import { CLI_BOOTSTRAP } from "../lib/auth/actor";
import { addSystem } from "../lib/server/systems/add-system";
import { appendAuditEvent } from "../lib/server/audit/append-event";
import { portalPublicKey } from "../lib/server/portal-key/portal-key";
import { noteVerifierKey } from "../lib/server/log/log-key";
import { mailCheckpointNow, sweepCheckpointMail } from "../lib/server/log/mail-checkpoint";
import { verifyCheckpoint } from "../lib/crypto/checkpoint";
import { gpgVerifyDetached } from "../peers/gpg";
import { splitSigned } from "../peers/mime-parts";
import { startMailRuntime, waitFor } from "../test/workers/mail-runtime";
import { startLogIntegrator } from "./log-integrator";

// Issue #16: the worker keeps every event covered by a checkpoint, and mails the current
// checkpoint, signed, to every system-log list once a day and when an operator asks.
let peers: Awaited<ReturnType<typeof startMailRuntime>>;

beforeAll(async () => {
  peers = await startMailRuntime("log-checkpoint");
});
afterAll(async () => {
  await peers?.close();
});
beforeEach(async () => {
  await resetDatabase();
  peers.smtp.messages.length = 0;
});

async function systems() {
  for (const [slug, list] of [
    ["webdb", "cacert-systemlog@lists.example.org"],
    ["signer", "cacert-systemlog@lists.example.org"],
    ["crl", "crl-log@lists.example.org"],
    ["wiki", null],
  ] as const) {
    await addSystem({ actor: CLI_BOOTSTRAP, slug, name: slug });
    await db.targetSystem.update({ where: { slug }, data: { systemLogAddress: list } });
  }
}

const DAY = 86_400_000;

describe("the checkpoint mail", () => {
  it("goes once a day to every system-log list, signed, with a note that verifies", async () => {
    await systems();
    const t0 = new Date("2026-12-03T06:00:00Z");
    const queued = await sweepCheckpointMail(t0);
    expect(queued?.to).toEqual(["cacert-systemlog@lists.example.org", "crl-log@lists.example.org"]);
    // The same day again: nothing more.
    expect(await sweepCheckpointMail(new Date(t0.getTime() + 3_600_000))).toBeNull();
    await waitFor("the checkpoint mail", () => peers.smtp.messages.length === 1);
    const [mail] = peers.smtp.messages;
    expect(mail.to.sort()).toEqual(queued!.to);

    // The whole mail is signed with the portal key (PGP/MIME), as every portal mail.
    const portal = (await portalPublicKey()).publicArmored;
    const { signed, signature } = splitSigned(mail.raw);
    expect(gpgVerifyDetached(portal, signed, signature)).toContain("[GNUPG:] GOODSIG");
    // The body carries the note, which the note key verifies, and its own OpenPGP signature.
    const text = ((await simpleParser(mail.raw)).text ?? "").replace(/\r\n/g, "\n");
    const note =
      /-----BEGIN CHECKPOINT-----\n([\s\S]*?)\n-----END CHECKPOINT-----/.exec(text)![1] + "\n";
    const cp = verifyCheckpoint(note, await noteVerifierKey());
    expect(cp.treeSize).toBe(queued!.treeSize);
    const asc = /(-----BEGIN PGP SIGNATURE-----[\s\S]*?-----END PGP SIGNATURE-----)/.exec(text)![1];
    // gpgVerifyDetached writes its text as latin1: hand it the note's UTF-8 bytes so.
    const noteBytes = Buffer.from(note, "utf8").toString("latin1");
    expect(gpgVerifyDetached(portal, noteBytes, asc + "\n")).toContain("[GNUPG:] GOODSIG");
    // Written with its audit event.
    const events = await db.auditEvent.findMany({ where: { action: "log.checkpoint-mailed" } });
    expect(events).toHaveLength(1);
    expect(events[0].payload).toMatchObject({ reason: "daily", treeSize: String(cp.treeSize) });

    // The next day, and an operator's mail on demand.
    expect(await sweepCheckpointMail(new Date(t0.getTime() + DAY))).not.toBeNull();
    expect(await mailCheckpointNow({ actor: CLI_BOOTSTRAP })).not.toBeNull();
    await waitFor("two more mails", () => peers.smtp.messages.length === 3);
  });

  it("is not queued when no system has a system-log list", async () => {
    await addSystem({ actor: CLI_BOOTSTRAP, slug: "wiki", name: "wiki" });
    expect(await sweepCheckpointMail()).toBeNull();
    expect(await db.outbox.count({ where: { kind: "log.checkpoint" } })).toBe(0);
  });
});

describe("the log integrator", () => {
  it("covers new events with a checkpoint without being asked", async () => {
    const integrator = startLogIntegrator(pino({ level: "silent" }), 100);
    try {
      for (let i = 0; i < 3; i++)
        await db.$transaction((tx) =>
          appendAuditEvent(tx, {
            actor: CLI_BOOTSTRAP,
            action: "user.enabled",
            subjectType: "user",
            subjectId: `u${i}`,
            payload: {},
          }),
        );
      await waitFor("a checkpoint covering event 3", async () =>
        Boolean(await db.checkpoint.findUnique({ where: { treeSize: 3n } })),
      );
    } finally {
      await integrator.stop();
    }
  });
});
