import { NextResponse } from "next/server";
import { checkHealth } from "@/lib/server/health/check-health";

export const dynamic = "force-dynamic";

/**
 * 200 when PostgreSQL and Redis answer; 503 naming what is down. The worker's
 * heartbeat is reported but does not decide the status: the portal serves
 * while the worker is away, and the outbox keeps what it must send.
 */
export async function GET() {
  const body = await checkHealth();
  return NextResponse.json(body, {
    status: body.db === "ok" && body.redis === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
