import "server-only";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { mayApply, type TStagingDecision } from "../../domain/hotfix-staging";
import { latestApplications, loadHotfix, presentHotfix, stagingOf } from "./hotfix-facts";

export type TRolloutTile = {
  slug: string;
  name: string;
  role: "FRONTEND" | "BACKEND";
  product: string;
  version: string;
  state: "APPLIED" | "VERIFIED" | "FAILED" | "UNAPPLIED" | null;
  /** An unapply awaiting its signed verification. */
  unapplyUnverified: boolean;
  error: string | null;
  next: TStagingDecision;
};

/** The hotfix with every server of its product as a tile: its state and whether it may go next (H3). */
export async function hotfixRollout({ actor, name }: { actor: TActor; name: string }) {
  authorize(actor, "hotfix:read");
  const hotfix = await loadHotfix(db, name);
  const servers = await db.server.findMany({
    where: { product: hotfix.product },
    orderBy: [{ role: "asc" }, { slug: "asc" }],
  });
  const staging = stagingOf(hotfix);
  const latest = new Map(latestApplications(hotfix).map((a) => [a.serverId, a]));
  const tiles: TRolloutTile[] = servers.map((s) => {
    const a = latest.get(s.id);
    return {
      slug: s.slug,
      name: s.name,
      role: s.role,
      product: s.product,
      version: s.version,
      state: a?.state ?? null,
      unapplyUnverified: a?.state === "UNAPPLIED" && !a.unapplyVerifiedAt,
      error: a?.state === "FAILED" ? a.error : null,
      next: mayApply(staging.hotfix, s, staging.applications),
    };
  });
  return { hotfix: presentHotfix(hotfix), uploadedById: hotfix.uploadedById, tiles };
}
