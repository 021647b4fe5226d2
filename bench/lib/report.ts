import { appendFileSync } from "node:fs";

// One line per operation: what the portal did, what the floor did in the same run, and the
// ratio portal speed / floor speed (1.00 = as fast as the floor; 0.07 = 7 % of it).

export type TLine = {
  bench: string;
  operation: string;
  /** e.g. "41.2/s  p50 180 ms  p95 260 ms" */
  measured: string;
  floor: string;
  floorMeasured: string;
  /** portal speed / floor speed */
  ratio: number;
  /** a goal the issue sets for this ratio, if any */
  goal?: number;
};

export function formatLine(l: TLine): string {
  const goal =
    l.goal === undefined
      ? ""
      : `  (goal ≥ ${l.goal.toFixed(2)}: ${l.ratio >= l.goal ? "met" : "NOT met"})`;
  return [
    `${l.bench.padEnd(9)} ${l.operation}`,
    `          measured  ${l.measured}`,
    `          floor     ${l.floorMeasured}   [${l.floor}]`,
    `          ratio     ${l.ratio.toFixed(2)} of the floor's speed${goal}`,
  ].join("\n");
}

/** Prints the line now and hands it to the index (BENCH_RESULTS) for the summary. */
export function report(l: TLine): void {
  console.log(formatLine(l));
  const file = process.env.BENCH_RESULTS;
  if (file) appendFileSync(file, JSON.stringify(l) + "\n");
}

/** A note on the side: setup times, checks; printed, not part of the summary. */
export function note(bench: string, text: string): void {
  console.log(`${bench.padEnd(9)} · ${text}`);
}
