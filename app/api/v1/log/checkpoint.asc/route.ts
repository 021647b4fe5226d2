import { publicRoute, textResponse } from "@/lib/api/log-routes";
import { latestCheckpoint } from "@/lib/server/log/proofs";

export const dynamic = "force-dynamic";

/**
 * The portal key's detached OpenPGP signature over the bytes GET /api/v1/log/checkpoint
 * serves (the same checkpoint while no event comes in between). Public.
 */
export const GET = publicRoute(async () => textResponse((await latestCheckpoint()).signature));
