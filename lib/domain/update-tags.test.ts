import { describe, expect, it } from "vitest";
import {
  isComplete,
  missingChecks,
  seriesVerdict,
  updateTags,
  type TSeriesFacts,
} from "./update-tags";

const ok = { acme: "ok", apache: "ok", nginx: "ok", smoke: "ok" } as const;

describe("a series' verification tag", () => {
  // [what happened, the facts, the verdict]
  const table: [string, TSeriesFacts, "needed" | "done" | "failed"][] = [
    ["nothing recorded", { checks: {} }, "needed"],
    ["some checks ok", { checks: { acme: "ok", smoke: "ok" } }, "needed"],
    ["every check ok, not signed", { checks: ok }, "needed"],
    ["an HTTPS check still running", { checks: { ...ok, nginx: "pending" } }, "needed"],
    ["every check ok and a signed pass", { checks: ok, verify: { verdict: "pass" } }, "done"],
    ["a check failed", { checks: { ...ok, apache: "failed" } }, "failed"],
    ["the smoke test failed", { checks: { smoke: "failed" } }, "failed"],
    ["a signed fail", { checks: ok, verify: { verdict: "fail" } }, "failed"],
    [
      "a check failing after a signed pass",
      { checks: { ...ok, nginx: "failed" }, verify: { verdict: "pass" } },
      "failed",
    ],
    [
      "a new check running after a signed pass",
      { checks: { ...ok, nginx: "pending" }, verify: { verdict: "pass" } },
      "done",
    ],
  ];
  it.each(table)("%s → verification-%s", (_what, facts, verdict) => {
    expect(seriesVerdict(facts)).toBe(verdict);
  });

  it("names what is missing before a pass can be signed", () => {
    expect(isComplete({ checks: ok })).toBe(true);
    expect(missingChecks({ checks: { acme: "ok", apache: "failed", nginx: "pending" } })).toEqual([
      "apache checked over HTTPS (failed)",
      "nginx checked over HTTPS (pending)",
      "dep8 smoke test passed (missing)",
    ]);
  });

  it("tags every series once the update is approved, none before", () => {
    const series = [
      { series: "focal", facts: { checks: ok, verify: { verdict: "pass" as const } } },
      { series: "jammy", facts: { checks: {} } },
      { series: "noble", facts: { checks: { smoke: "failed" as const } } },
    ];
    expect(updateTags(false, series)).toEqual([]);
    expect(updateTags(true, series)).toEqual([
      "verification-done-focal",
      "verification-needed-jammy",
      "verification-failed-noble",
    ]);
  });
});
