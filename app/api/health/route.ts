import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { pingRedis } from "@/lib/redis";
import { HEARTBEAT_ID } from "@/lib/jobs/heartbeat-id";
import { workerStatus } from "@/lib/server/outbox/list-outbox";

export const dynamic = "force-dynamic";

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
 * 200 when PostgreSQL and Redis answer; 503 naming what is down. The worker's
 * heartbeat is reported but does not decide the status: the portal serves
 * while the worker is away, and the outbox keeps what it must send.
 */
export async function GET() {
  const [dbOk, redisOk, worker] = await Promise.all([pingDb(), pingRedis(), workerState()]);
  const body = { db: dbOk ? "ok" : "down", redis: redisOk ? "ok" : "down", worker };
  return NextResponse.json(body, {
    status: dbOk && redisOk ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
