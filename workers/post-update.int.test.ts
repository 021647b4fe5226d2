import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { db } from "../lib/db";
import { CLI_BOOTSTRAP } from "../lib/auth/actor";
import { resetDatabase } from "../test/reset";
import { makeInstallation, makePackage } from "../test/factories";
import { openUpdate } from "../lib/server/updates/open-update";
import { callPostUpdate, NOT_CONFIGURED } from "./handlers/post-update";
import { PermanentError, type THandlerCtx } from "./handlers/context";
import { webhookSignature } from "./tracker/webhook";

// The post-update event (U5) against a real local HTTP receiver.
type TReceived = { headers: Record<string, string | string[] | undefined>; body: string };

const SECRET = "post-update-secret-123";
let received: TReceived[] = [];
let answer: { status: number; body: string; location?: string } = { status: 200, body: "ok" };
let other: TReceived[] = [];
let server: Server;
let otherServer: Server;
let base = "";
let otherBase = "";

function listen(handler: (r: TReceived) => void): Promise<[Server, string]> {
  const s = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      handler({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(answer.status, answer.location ? { location: answer.location } : {});
      res.end(answer.body);
    });
  });
  return new Promise((resolve) =>
    s.listen(0, "127.0.0.1", () =>
      resolve([s, `http://127.0.0.1:${(s.address() as AddressInfo).port}`]),
    ),
  );
}

const ctx: THandlerCtx = {
  smtpUrl: "smtp://127.0.0.1:1",
  mailFrom: "patchgate@portal.example.org",
  publicUrl: "https://patchgate.example.org",
  secret: (n) => (n === "OS4X_POST_UPDATE_SECRET" ? SECRET : undefined),
  log: pino({ level: "silent" }),
  timeoutMs: 3_000,
};

beforeAll(async () => {
  [server, base] = await listen((r) => received.push(r));
  [otherServer, otherBase] = await listen((r) => other.push(r));
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await new Promise((r) => otherServer?.close(r));
});
beforeEach(async () => {
  await resetDatabase();
  received = [];
  other = [];
  answer = { status: 200, body: "ok" };
});

/** An automatic installation's completed update and its outbox row. */
async function completed(postUpdateUrl: string | null = `${base}/os4x/post-update`) {
  const installation = await makeInstallation({
    mode: "AUTOMATIC",
    postUpdateUrl,
    postUpdateSecretEnv: postUpdateUrl ? "OS4X_POST_UPDATE_SECRET" : null,
  });
  const pkg = await makePackage(installation);
  const update = (await db.$transaction((tx) => openUpdate(tx, CLI_BOOTSTRAP, pkg, installation)))!;
  const row = await db.outbox.findFirstOrThrow({ where: { kind: "package.post-update" } });
  const run = () => callPostUpdate(ctx, row.id, { updateId: update.id });
  return { installation, pkg, update, outboxId: row.id, run };
}

const updateRow = (id: string) => db.packageUpdate.findUniqueOrThrow({ where: { id } });
const calls = () => db.auditEvent.findMany({ where: { action: "package.post-update-called" } });

describe("the post-update event (U5)", () => {
  it("POSTs the signed event, records the answer, and does nothing more when run again", async () => {
    const { installation, pkg, update, outboxId, run } = await completed();
    answer = { status: 202, body: "queued cleanup" };
    await run();
    expect(received).toHaveLength(1);
    const r = received[0];
    const timestamp = String(r.headers["x-patchgate-timestamp"]);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(r.headers["x-patchgate-signature"]).toBe(webhookSignature(SECRET, timestamp, r.body));
    expect(r.headers["x-patchgate-event"]).toBe("package.updated");
    expect(r.headers["x-patchgate-delivery"]).toBe(outboxId);
    expect(r.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(r.body)).toEqual({
      event: "package.updated",
      deliveryId: outboxId,
      updateId: update.id,
      installation: {
        slug: installation.slug,
        name: installation.name,
        product: "os4x",
        enterprise: false,
      },
      package: {
        id: pkg.id,
        fileName: pkg.fileName,
        sha256: pkg.sha256,
        contentSha256: pkg.contentSha256,
        signer: {
          subject: pkg.signerSubject,
          issuer: pkg.signerIssuer,
          notAfter: "2032-06-15T18:18:53.000Z",
        },
      },
      mode: "automatic",
      completedAt: update.completedAt!.toISOString(),
    });
    const row = await updateRow(update.id);
    expect(row).toMatchObject({ postUpdateStatus: 202, postUpdateAnswer: "queued cleanup" });
    expect(row.postUpdateAt).toBeInstanceOf(Date);
    expect((await db.outbox.findUniqueOrThrow({ where: { id: outboxId } })).state).toBe("DONE");
    const events = await calls();
    expect(events).toHaveLength(1);
    expect(events[0].payload).toEqual({
      updateId: update.id,
      url: `${base}/os4x/post-update`,
      status: 202,
    });

    // Once only: a retried job (the row set back, as a crash before DONE would leave it) calls nobody.
    await db.outbox.update({ where: { id: outboxId }, data: { state: "PENDING" } });
    await run();
    await run();
    expect(received).toHaveLength(1);
    expect(await calls()).toHaveLength(2);
    expect((await updateRow(update.id)).postUpdateStatus).toBe(202);
  });

  it("throws on a 500 so the job is retried, recording each answer; the retry carries the same delivery id", async () => {
    const { update, outboxId, run } = await completed();
    answer = { status: 500, body: "x".repeat(5000) };
    const first = await run().then(
      () => null,
      (e: unknown) => e,
    );
    expect(first).toBeInstanceOf(Error);
    expect(first).not.toBeInstanceOf(PermanentError);
    expect((first as Error).message).toContain("answered 500");
    let row = await updateRow(update.id);
    expect(row.postUpdateStatus).toBe(500);
    expect(row.postUpdateAnswer).toHaveLength(2000);
    expect((await db.outbox.findUniqueOrThrow({ where: { id: outboxId } })).state).toBe("PENDING");

    answer = { status: 200, body: "done" };
    await run();
    expect(received).toHaveLength(2);
    expect(received[1].headers["x-patchgate-delivery"]).toBe(
      received[0].headers["x-patchgate-delivery"],
    );
    row = await updateRow(update.id);
    expect(row).toMatchObject({ postUpdateStatus: 200, postUpdateAnswer: "done" });
    expect((await calls()).map((e) => (e.payload as { status: number }).status)).toEqual([
      500, 200,
    ]);
    await run();
    expect(received).toHaveLength(2);
  });

  it("never follows a redirect to another host", async () => {
    const { update, run } = await completed();
    answer = { status: 307, body: "", location: `${otherBase}/steal` };
    await expect(run()).rejects.toBeInstanceOf(PermanentError);
    expect(other).toHaveLength(0);
    expect((await updateRow(update.id)).postUpdateStatus).toBe(307);
  });

  it("records that no event is configured, and completes", async () => {
    const { update, outboxId, run } = await completed(null);
    await run();
    expect(received).toHaveLength(0);
    const row = await updateRow(update.id);
    expect(row).toMatchObject({ postUpdateStatus: null, postUpdateAnswer: NOT_CONFIGURED });
    expect(row.postUpdateAt).toBeInstanceOf(Date);
    expect((await db.outbox.findUniqueOrThrow({ where: { id: outboxId } })).state).toBe("DONE");
    expect(await calls()).toHaveLength(1);
  });

  it("fails at once when the secret's variable is not set", async () => {
    const { installation, update } = await completed();
    await db.installation.update({
      where: { id: installation.id },
      data: { postUpdateSecretEnv: "UNSET_SECRET" },
    });
    const row = await db.outbox.findFirstOrThrow({ where: { kind: "package.post-update" } });
    await expect(callPostUpdate(ctx, row.id, { updateId: update.id })).rejects.toThrow(
      /UNSET_SECRET .* is not set/,
    );
    expect(received).toHaveLength(0);
  });

  it("refuses a URL that is not http or https", async () => {
    const { installation, run } = await completed();
    await db.installation.update({
      where: { id: installation.id },
      data: { postUpdateUrl: "file:///etc/passwd" },
    });
    await expect(run()).rejects.toBeInstanceOf(PermanentError);
  });
});
