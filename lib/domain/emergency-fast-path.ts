import type { TSignoffFact } from "./patch-state";
import type { TMove } from "./emergency-ladder";

// Option 1 runs on a real patch record (E3): its gates are signed on the
// emergency, and the patch's own rules read them as the sign-offs they stand
// for. The preparer submits; the 1st review and the testers count as review
// and tests; the 2nd review forwards the patch to the critical team, which is
// the request to deploy. So derivePatchState, the deploy separation and the
// queue treat an option-1 patch like any other, and only its gates differ.

/**
 * The sign-off facts option 1's moves stand for, on the patch revision whose
 * diff each move names (`revisions`: number and SHA-256 of every revision).
 * Moves naming no known revision count for nothing.
 */
export function fastPathSignoffs(
  moves: readonly TMove[],
  revisions: readonly { number: number; diffSha256: string }[],
): TSignoffFact[] {
  const revisionOf = (sha?: string) => revisions.find((r) => r.diffSha256 === sha)?.number;
  const out: TSignoffFact[] = [];
  for (const m of moves) {
    const revision = revisionOf(m.sha256);
    if (revision === undefined) continue;
    const fact = (kind: TSignoffFact["kind"], verdict: TSignoffFact["verdict"]) =>
      out.push({ kind, verdict, signerId: m.actorId, revision });
    if (m.kind === "option1-patch") fact("SUBMIT", "SUBMIT");
    if (m.kind !== "gate") continue;
    if (m.gate === "review-1") fact("REVIEW", "APPROVE");
    if (m.gate === "test") fact("TEST", m.verdict === "fail" ? "FAIL" : "PASS");
    if (m.gate === "review-2") {
      fact("REVIEW", "APPROVE");
      fact("REQUEST", "REQUEST");
    }
  }
  return out;
}
