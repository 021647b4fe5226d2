import { describe, expect, it } from "vitest";
import { can, PERMISSIONS, ROLE_PERMISSIONS, permissionsOf } from "./permissions";
import { ROLES, parseRole, isGrantActive } from "./roles";

// The table written out the other way round: who may do each action. Reading it
// next to ROLE_PERMISSIONS catches a permission given to the wrong role.
const EXPECTED: Record<(typeof PERMISSIONS)[number], (typeof ROLES)[number][]> = {
  "patch:read": [
    "DEVELOPER",
    "ASSESSOR",
    "TESTER",
    "CRITICAL_ADMIN",
    "ACCESS_ENGINEER",
    "ARBITRATOR",
    "ADMIN",
  ],
  "patch:submit": ["DEVELOPER", "ASSESSOR"],
  "patch:review": ["ASSESSOR"],
  "patch:test": ["TESTER"],
  "patch:request": ["ASSESSOR"],
  "deploy:tick": ["CRITICAL_ADMIN"],
  "visit:attend": ["CRITICAL_ADMIN", "ACCESS_ENGINEER"],
  "emergency:declare": ["ASSESSOR", "CRITICAL_ADMIN"],
  "emergency:respond": ["DEVELOPER", "ASSESSOR", "TESTER", "CRITICAL_ADMIN", "ACCESS_ENGINEER"],
  "dispute:read": ["ARBITRATOR", "ADMIN"],
  "dispute:rule": ["ARBITRATOR"],
  "hotfix:read": [
    "DEVELOPER",
    "ASSESSOR",
    "TESTER",
    "CRITICAL_ADMIN",
    "ACCESS_ENGINEER",
    "ARBITRATOR",
    "ADMIN",
  ],
  "hotfix:manage": ["CRITICAL_ADMIN"],
  "hotfix:release": ["ASSESSOR", "CRITICAL_ADMIN"],
  "servers:manage": ["CRITICAL_ADMIN", "ADMIN"],
  "update:read": [
    "DEVELOPER",
    "ASSESSOR",
    "TESTER",
    "CRITICAL_ADMIN",
    "ACCESS_ENGINEER",
    "ARBITRATOR",
    "ADMIN",
  ],
  "update:submit": ["DEVELOPER", "ASSESSOR"],
  "update:review": ["ASSESSOR"],
  "update:verify": ["TESTER"],
  "update:manage": ["ADMIN"],
  "package:read": ["ASSESSOR", "CRITICAL_ADMIN", "ARBITRATOR", "ADMIN"],
  "package:manage": ["CRITICAL_ADMIN", "ADMIN"],
  "package:apply": ["CRITICAL_ADMIN", "ADMIN"],
  "roles:manage": ["ADMIN"],
  "systems:manage": ["ADMIN"],
  "audit:read": ["ARBITRATOR", "ADMIN"],
  "outbox:manage": ["ADMIN"],
};

describe("permission table", () => {
  for (const role of ROLES) {
    for (const permission of PERMISSIONS) {
      const allowed = EXPECTED[permission].includes(role);
      it(`${role} ${allowed ? "may" : "may not"} ${permission}`, () => {
        expect(can([role], permission)).toBe(allowed);
      });
    }
  }

  it("nobody without a role may do anything", () => {
    for (const p of PERMISSIONS) expect(can([], p)).toBe(false);
  });

  it("roles add up", () => {
    expect(permissionsOf(["TESTER", "ADMIN"])).toEqual(
      PERMISSIONS.filter(
        (p) =>
          (ROLE_PERMISSIONS.TESTER as readonly string[]).includes(p) ||
          (ROLE_PERMISSIONS.ADMIN as readonly string[]).includes(p),
      ),
    );
  });
});

describe("roles", () => {
  it("parses the spellings people type", () => {
    expect(parseRole("critical-admin")).toBe("CRITICAL_ADMIN");
    expect(parseRole("Assessor")).toBe("ASSESSOR");
    expect(parseRole("root")).toBeUndefined();
  });

  it("counts a grant only when approved and not revoked", () => {
    const t = new Date();
    expect(isGrantActive({ approvedAt: t, revokedAt: null })).toBe(true);
    expect(isGrantActive({ approvedAt: null, revokedAt: null })).toBe(false);
    expect(isGrantActive({ approvedAt: t, revokedAt: t })).toBe(false);
  });
});
