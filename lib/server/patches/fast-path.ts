import "server-only";
import type { Tx } from "../../db";
import type { TSignoffFact } from "../../domain/patch-state";
import { fastPathSignoffs } from "../../domain/emergency-fast-path";
import { ladderMoves } from "../emergencies/emergency-facts";

export type TFastPath = {
  emergencyId: string;
  emergencyNumber: number;
  /** The sign-offs option 1's moves stand for on this patch's revisions. */
  signoffs: TSignoffFact[];
};

/**
 * Whether this patch is option 1's patch (E3): the one an `option1-patch` move
 * of its emergency names. Patches re-entered after option 2 or 3 carry the
 * emergency's id too, but no move names them: they follow the normal cycle.
 */
export async function fastPathOf(
  tx: Pick<Tx, "emergencyMove" | "emergency">,
  patch: { id: string; emergencyId: string | null },
  revisions: readonly { number: number; diffSha256: string }[],
): Promise<TFastPath | null> {
  if (!patch.emergencyId) return null;
  const named = await tx.emergencyMove.findFirst({
    where: {
      emergencyId: patch.emergencyId,
      kind: "option1-patch",
      data: { path: ["patchId"], equals: patch.id },
    },
    select: { id: true },
  });
  if (!named) return null;
  const e = await tx.emergency.findUniqueOrThrow({
    where: { id: patch.emergencyId },
    select: { number: true, moves: { orderBy: { at: "asc" } } },
  });
  return {
    emergencyId: patch.emergencyId,
    emergencyNumber: e.number,
    signoffs: fastPathSignoffs(ladderMoves(e.moves), revisions),
  };
}
