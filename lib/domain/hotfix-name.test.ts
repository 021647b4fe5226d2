import { describe, expect, it } from "vitest";
import { parseHotfixFileName } from "./hotfix-name";

describe("parseHotfixFileName", () => {
  it("parses the seed's example", () => {
    expect(
      parseHotfixFileName("sshmgr-3.0.0-hotfix_common_fix_tags_and_stats_UKM-1291.gz"),
    ).toEqual({
      ok: true,
      value: {
        fileName: "sshmgr-3.0.0-hotfix_common_fix_tags_and_stats_UKM-1291.gz",
        product: "sshmgr",
        version: "3.0.0",
        component: "common",
        description: "fix_tags_and_stats",
        issue: "UKM-1291",
        name: "hotfix_common_fix_tags_and_stats",
      },
    });
  });

  it.each([
    [
      "key-manager-10.2.33-hotfix_frontend_login_UKM-7.gz",
      "key-manager",
      "10.2.33",
      "frontend",
      "login",
      "UKM-7",
    ],
    ["sshmgr-3.0.0-hotfix_backend_a_b_c_X1.gz", "sshmgr", "3.0.0", "backend", "a_b_c", "X1"],
  ])("parses %s", (file, product, version, component, description, issue) => {
    const r = parseHotfixFileName(file);
    expect(r).toMatchObject({
      ok: true,
      value: { product, version, component, description, issue },
    });
  });

  it.each([
    ["sshmgr-3.0.0-hotfix_common_fix_UKM-1291.tar", /end in \.gz/],
    ["sshmgr-3.0.0-fix_common_fix_UKM-1291.gz", /-hotfix_/],
    ["3.0.0-hotfix_common_fix_UKM-1291.gz", /<product>-<version>/],
    ["SSHMGR-3.0.0-hotfix_common_fix_UKM-1291.gz", /not a product/],
    ["sshmgr-3.0-hotfix_common_fix_UKM-1291.gz", /not a version/],
    ["sshmgr-v3.0.0-hotfix_common_fix_UKM-1291.gz", /not a version/],
    ["sshmgr-3.0.0-hotfix_database_fix_UKM-1291.gz", /not a component/],
    ["sshmgr-3.0.0-hotfix_common_UKM-1291.gz", /description and an issue/],
    ["sshmgr-3.0.0-hotfix_common_Fix_UKM-1291.gz", /not a description/],
    ["sshmgr-3.0.0-hotfix_common_fix__x_UKM-1291.gz", /not a description/],
    ["sshmgr-3.0.0-hotfix_common_fix_UKM 1291.gz", /not an issue/],
    ["sshmgr-3.0.0-hotfix_common_fix_.gz", /not an issue/],
    ["../sshmgr-3.0.0-hotfix_common_fix_UKM-1.gz", /not a product/],
  ])("refuses %s", (file, message) => {
    const r = parseHotfixFileName(file);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
