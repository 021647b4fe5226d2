import { describe, expect, it } from "vitest";
import { mayApply, type TStagingApplication, type TStagingHotfix } from "./hotfix-staging";

const hotfix = (component: TStagingHotfix["component"], released = true): TStagingHotfix => ({
  product: "sshmgr",
  version: "3.0.0",
  component,
  released,
});
const fe1 = { slug: "fe1", role: "FRONTEND", product: "sshmgr", version: "3.0.0" } as const;
const fe2 = { slug: "fe2", role: "FRONTEND", product: "sshmgr", version: "3.0.0" } as const;
const be1 = { slug: "be1", role: "BACKEND", product: "sshmgr", version: "3.0.0" } as const;
const old = { slug: "old", role: "BACKEND", product: "sshmgr", version: "2.9.0" } as const;
const app = (
  server: string,
  role: "FRONTEND" | "BACKEND",
  state: TStagingApplication["state"],
) => ({
  server,
  role,
  state,
});

describe("mayApply: the staged rollout as a table", () => {
  it.each([
    // component, server, applications so far, expected
    ["frontend", fe1, [], { ok: true, first: true }],
    ["frontend", be1, [], { ok: false, code: "WRONG_ROLE" }],
    ["backend", be1, [], { ok: true, first: true }],
    ["backend", fe1, [], { ok: false, code: "WRONG_ROLE" }],
    ["common", fe1, [], { ok: true, first: true }],
    ["common", be1, [], { ok: true, first: true }],
    ["frontend", be1, [app("fe1", "FRONTEND", "APPLIED")], { ok: false, code: "WAITING" }],
    ["frontend", fe2, [app("fe1", "FRONTEND", "APPLIED")], { ok: false, code: "WAITING" }],
    ["frontend", be1, [app("fe1", "FRONTEND", "VERIFIED")], { ok: true, first: false }],
    ["frontend", fe1, [app("fe1", "FRONTEND", "APPLIED")], { ok: false, code: "ALREADY_APPLIED" }],
    ["frontend", fe1, [app("fe1", "FRONTEND", "VERIFIED")], { ok: false, code: "ALREADY_APPLIED" }],
    // A failed first try may be retried, and opens nothing for the others.
    ["frontend", fe1, [app("fe1", "FRONTEND", "FAILED")], { ok: true, first: true }],
    ["frontend", be1, [app("fe1", "FRONTEND", "FAILED")], { ok: false, code: "WRONG_ROLE" }],
    // An unapplied first application closes the rollout again.
    ["frontend", be1, [app("fe1", "FRONTEND", "UNAPPLIED")], { ok: false, code: "WRONG_ROLE" }],
    ["frontend", fe1, [app("fe1", "FRONTEND", "UNAPPLIED")], { ok: true, first: true }],
    ["backend", old, [], { ok: false, code: "WRONG_TARGET" }],
  ] as const)("%s hotfix on %o after %o", (component, server, applications, expected) => {
    expect(mayApply(hotfix(component), server, applications)).toMatchObject(expected);
  });

  it("refuses anything before the release", () => {
    expect(mayApply(hotfix("common", false), fe1, [])).toMatchObject({
      ok: false,
      code: "NOT_RELEASED",
    });
  });

  it("explains the wait by naming the first server", () => {
    const r = mayApply(hotfix("frontend"), be1, [app("fe1", "FRONTEND", "APPLIED")]);
    expect(r.ok === false && r.reason).toMatch(/on fe1, is not verified/);
  });
});
