import "server-only";
import { db } from "../../db";
import { pingRedis } from "../../redis";
import { HEARTBEAT_ID } from "../../jobs/heartbeat-id";
import { workerStatus } from "../outbox/list-outbox";

export type THealth = {
  db: "ok" | "down";
  redis: "ok" | "down";
  worker: "ok" | "stale";
};

async function pingDb(): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}

async function workerState(): Promise<"ok" | "stale"> {
  try {
    const beat = await db.workerHeartbeat.findUnique({ where: { id: HEARTBEAT_ID } });
    return workerStatus(beat?.beatAt ?? null).status;
  } catch {
    return "stale";
  }
}

/**
 * What /api/health reports. No actor: anyone may ask, and a probe must never
 * throw, so each check turns its failure into "down" or "stale".
 */
export async function checkHealth(): Promise<THealth> {
  const [dbOk, redisOk, worker] = await Promise.all([pingDb(), pingRedis(), workerState()]);
  return { db: dbOk ? "ok" : "down", redis: redisOk ? "ok" : "down", worker };
}
