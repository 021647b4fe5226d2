import { describe, expect, it } from "vitest";
import { rolesHeldAt } from "./roles";

const at = (iso: string) => new Date(iso);

describe("rolesHeldAt", () => {
  const grants = [
    { role: "ASSESSOR" as const, approvedAt: at("2026-01-10T00:00:00Z"), revokedAt: null },
    {
      role: "TESTER" as const,
      approvedAt: at("2026-01-01T00:00:00Z"),
      revokedAt: at("2026-02-01T00:00:00Z"),
    },
    { role: "ADMIN" as const, approvedAt: null, revokedAt: null },
  ];

  it("counts a grant from its approval until its revocation, never a nomination", () => {
    expect(rolesHeldAt(grants, at("2026-01-05T00:00:00Z"))).toEqual(["TESTER"]);
    expect(rolesHeldAt(grants, at("2026-01-10T00:00:00Z"))).toEqual(["ASSESSOR", "TESTER"]);
    expect(rolesHeldAt(grants, at("2026-02-01T00:00:00Z"))).toEqual(["ASSESSOR"]);
    expect(rolesHeldAt(grants, at("2025-12-31T00:00:00Z"))).toEqual([]);
  });
});
