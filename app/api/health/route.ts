import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { pingRedis } from "@/lib/redis";

export const dynamic = "force-dynamic";

async function pingDb(): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}

/** 200 when PostgreSQL and Redis answer; 503 naming what is down. */
export async function GET() {
  const [dbOk, redisOk] = await Promise.all([pingDb(), pingRedis()]);
  const body = { db: dbOk ? "ok" : "down", redis: redisOk ? "ok" : "down" };
  return NextResponse.json(body, { status: dbOk && redisOk ? 200 : 503, headers: { "cache-control": "no-store" } });
}
