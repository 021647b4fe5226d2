import { publicRoute, textResponse } from "@/lib/api/log-routes";
import { noteVerifierKey } from "@/lib/server/log/log-key";

export const dynamic = "force-dynamic";

/** The verifier key of the portal's Ed25519 note key (`<origin>+<key hash>+<key>`). Public. */
export const GET = publicRoute(async () => textResponse((await noteVerifierKey()) + "\n"));
