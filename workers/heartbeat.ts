import { db } from "../lib/db";
import { logger } from "../lib/logger";
import { HEARTBEAT_ID } from "../lib/jobs/heartbeat-id";

export { HEARTBEAT_ID };
const EVERY_MS = 10_000;

/** Writes the worker's liveness to Postgres, where /api/health and admins read it. */
export function startHeartbeat() {
  const beat = () =>
    db.workerHeartbeat
      .upsert({
        where: { id: HEARTBEAT_ID },
        create: { id: HEARTBEAT_ID, beatAt: new Date() },
        update: { beatAt: new Date() },
      })
      .catch((err: unknown) => logger.warn({ err }, "heartbeat failed"));
  void beat();
  const timer = setInterval(beat, EVERY_MS);
  return {
    async stop() {
      clearInterval(timer);
    },
  };
}
