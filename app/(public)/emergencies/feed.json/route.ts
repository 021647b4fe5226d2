import { publicEmergencyLog } from "@/lib/server/emergencies/public-log";

export const dynamic = "force-dynamic";

/** E7: the public emergency log as JSON, for anyone (no account). */
export async function GET() {
  return Response.json(
    { emergencies: await publicEmergencyLog() },
    { headers: { "cache-control": "public, max-age=60" } },
  );
}
