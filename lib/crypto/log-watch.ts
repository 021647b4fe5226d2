import { z } from "zod";
import { inconsistency, proofNeeded, type TTreeHead } from "./checkpoint-consistency";

// Issue #16: what `patchgate log watch` keeps between runs and how it judges a
// fresh checkpoint against the one it kept. The log may only grow: a smaller
// tree is a rollback, a tree the kept one is not a prefix of is a fork. Either
// means the portal showed two different histories; the monitor says so loudly.

export const LOG_WATCH_FORMAT = "patchgate-log-watch v1";

/** The state file: the pinned note key and the last checkpoint that verified. */
export const ZWatchState = z.strictObject({
  format: z.literal(LOG_WATCH_FORMAT),
  portal: z.string().min(1),
  /** The verifier key line, pinned on the first run (or given with --key). */
  vkey: z.string().min(1),
  /** The last good checkpoint's signed note, exactly as the portal served it. */
  checkpoint: z.string().min(1),
  size: z.number().int().min(0),
  rootHash: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  checkedAt: z.iso.datetime(),
});
export type TWatchState = z.infer<typeof ZWatchState>;

export type TWatchVerdict =
  | { ok: true; kind: "first" | "same" | "grown"; message: string }
  | { ok: false; kind: "rollback" | "fork"; message: string };

/** Which proof the judgement needs, if any: only a tree that grew needs one. */
export function proofToFetch(kept: TTreeHead | null, fresh: TTreeHead) {
  return kept && fresh.size > kept.size ? proofNeeded(kept, fresh) : null;
}

/** The fresh checkpoint against the kept one (null on the first run), with the consistency proof fetched for it. */
export function judgeCheckpoint(
  kept: TTreeHead | null,
  fresh: TTreeHead,
  proof: Uint8Array[] | null,
): TWatchVerdict {
  if (!kept)
    return { ok: true, kind: "first", message: `first checkpoint kept: tree size ${fresh.size}` };
  if (fresh.size < kept.size)
    return {
      ok: false,
      kind: "rollback",
      message: `ROLLBACK: the portal's checkpoint has tree size ${fresh.size}, smaller than the ${kept.size} already seen: the log lost entries or shows an older history`,
    };
  const problem = inconsistency(kept, fresh, proof);
  if (problem) return { ok: false, kind: "fork", message: `FORK: ${problem}` };
  return fresh.size === kept.size
    ? { ok: true, kind: "same", message: `unchanged: tree size ${fresh.size}, same root` }
    : {
        ok: true,
        kind: "grown",
        message: `grew from ${kept.size} to ${fresh.size} leaves, consistency proof verified`,
      };
}
