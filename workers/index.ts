// The worker process: `npm run start:worker`. Started with plain node (not
// npx) so SIGTERM reaches it; it closes cleanly on SIGTERM/SIGINT: running
// jobs finish, unfinished ones stay queued for the next start.
import { db } from "../lib/db";
import { env } from "../lib/env";
import { logger } from "../lib/logger";
import { startHeartbeat } from "./heartbeat";
import { startLogIntegrator } from "./log-integrator";
import { startRuntime } from "./runtime";
import { readTrackerSecret } from "./tracker-secret";

const log = logger.child({ component: "worker" });

async function main() {
  const e = env();
  const heartbeat = startHeartbeat();
  // Issue #16: a signed checkpoint within 2 s of every event (docs/workers.md).
  const integrator = startLogIntegrator(log);
  const runtime = await startRuntime({
    redisUrl: e.REDIS_URL,
    prefix: e.BULLMQ_PREFIX,
    lockMs: e.WORKER_LOCK_MS,
    inbox: e.UPDATE_INBOX_DIR
      ? { dir: e.UPDATE_INBOX_DIR, everyMs: e.UPDATE_INBOX_POLL_MS }
      : undefined,
    ctx: {
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      publicUrl: e.PUBLIC_URL,
      tarballDir: e.TARBALL_DIR,
      secret: (name) => readTrackerSecret(name),
      log,
      timeoutMs: 15_000,
      httpsCheckTimeoutMs: e.HTTPS_CHECK_TIMEOUT_MS,
    },
  });
  log.info({ prefix: e.BULLMQ_PREFIX }, "worker started");

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, "worker closing");
    await runtime.close();
    await heartbeat.stop();
    await integrator.stop();
    await db.$disconnect();
    log.info("worker closed");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((e) => {
  log.fatal({ err: e }, "worker failed to start");
  process.exit(1);
});
