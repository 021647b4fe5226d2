// The tags of a release update per series (S3, Launchpad's SRU practice):
// `verification-needed-<series>` once the update is approved, until a tester's
// signed update-verify says `pass` (→ `verification-done-<series>`) or a check
// or a signed verification fails (→ `verification-failed-<series>`). A check
// that fails after a pass was signed fails the series: it is newer evidence.

export const SERIES_CHECKS = ["acme", "apache", "nginx", "smoke"] as const;
export type TSeriesCheck = (typeof SERIES_CHECKS)[number];

export const CHECK_NAMES: Record<TSeriesCheck, string> = {
  acme: "certificate obtained over ACME",
  apache: "apache checked over HTTPS",
  nginx: "nginx checked over HTTPS",
  smoke: "dep8 smoke test passed",
};

export type TCheckState = "missing" | "pending" | "ok" | "failed";

export type TSeriesFacts = {
  /** The latest evidence of each check on the current revision (pending: an HTTPS check not yet run). */
  checks: Partial<Record<TSeriesCheck, Exclude<TCheckState, "missing">>>;
  /** The latest signed update-verify of the series on the current revision, and when it was signed. */
  verify?: { verdict: "pass" | "fail" };
};

export type TSeriesVerdict = "needed" | "done" | "failed";

export function checkStates(facts: TSeriesFacts): Record<TSeriesCheck, TCheckState> {
  return Object.fromEntries(SERIES_CHECKS.map((c) => [c, facts.checks[c] ?? "missing"])) as Record<
    TSeriesCheck,
    TCheckState
  >;
}

/** Every check is ok: a tester may sign `pass`. */
export function isComplete(facts: TSeriesFacts): boolean {
  return SERIES_CHECKS.every((c) => facts.checks[c] === "ok");
}

/** The checks that stand between the series and a signed pass, in words. */
export function missingChecks(facts: TSeriesFacts): string[] {
  const states = checkStates(facts);
  return SERIES_CHECKS.filter((c) => states[c] !== "ok").map(
    (c) => `${CHECK_NAMES[c]} (${states[c]})`,
  );
}

export function seriesVerdict(facts: TSeriesFacts): TSeriesVerdict {
  const failing = SERIES_CHECKS.some((c) => facts.checks[c] === "failed");
  if (facts.verify?.verdict === "fail") return "failed";
  if (failing) return "failed";
  if (facts.verify?.verdict === "pass") return "done";
  return "needed";
}

/** The tags of an update: none until it is approved, then one per series. */
export function updateTags(
  approved: boolean,
  series: { series: string; facts: TSeriesFacts }[],
): string[] {
  if (!approved) return [];
  return series.map(({ series: s, facts }) => `verification-${seriesVerdict(facts)}-${s}`);
}
