import { publicRoute, textResponse } from "@/lib/api/log-routes";
import { latestCheckpoint } from "@/lib/server/log/proofs";

export const dynamic = "force-dynamic";

/** The latest checkpoint as a C2SP signed note (made fresh if events are not yet covered). Public. */
export const GET = publicRoute(async () => textResponse((await latestCheckpoint()).note));
