import { b64, jsonResponse, publicRoute } from "@/lib/api/log-routes";
import { queryOf } from "@/lib/api/route-params";
import { inclusionProof } from "@/lib/server/log/proofs";

export const dynamic = "force-dynamic";

/** `?index=N&size=S`: leaf N's hash and audit path in the tree of S leaves. Public. */
export const GET = publicRoute(async (request) => {
  const p = await inclusionProof(queryOf(request, ["index", "size"]));
  return jsonResponse({
    index: p.index,
    treeSize: p.treeSize,
    leafHash: b64(p.leafHash),
    proof: p.proof.map(b64),
  });
});
