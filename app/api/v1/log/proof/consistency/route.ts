import { b64, jsonResponse, publicRoute } from "@/lib/api/log-routes";
import { queryOf } from "@/lib/api/route-params";
import { consistencyProof } from "@/lib/server/log/proofs";

export const dynamic = "force-dynamic";

/** `?from=A&to=B`: the proof that the tree of B leaves extends the tree of A. Public. */
export const GET = publicRoute(async (request) => {
  const p = await consistencyProof(queryOf(request, ["from", "to"]));
  return jsonResponse({ from: p.from, to: p.to, proof: p.proof.map(b64) });
});
