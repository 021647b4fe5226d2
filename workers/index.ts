// The worker process: `npm run start:worker`. Started with plain node (not
// npx) so SIGTERM reaches it; it closes cleanly on SIGTERM/SIGINT.
import { db } from "../lib/db";
import { logger } from "../lib/logger";
import { startHeartbeat } from "./heartbeat";

const log = logger.child({ component: "worker" });

async function main() {
  const heartbeat = startHeartbeat();
  log.info("worker started");

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, "worker closing");
    await heartbeat.stop();
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
