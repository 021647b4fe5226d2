import type { TRole } from "./roles";

// Every action the portal guards, across the whole catalogue. Signed-in users
// may always read and manage their own profile, keys and tokens.
export const PERMISSIONS = [
  "patch:read",
  "patch:submit",
  "patch:review",
  "patch:test",
  "patch:request",
  "deploy:tick",
  "visit:attend",
  "emergency:declare",
  "emergency:respond",
  "dispute:read",
  "dispute:rule",
  "hotfix:read",
  "hotfix:manage",
  "hotfix:release",
  "servers:manage",
  // Stable release updates (S1–S3): everyone reads them; developers and assessors
  // prepare and submit them, assessors (the release-update team) review, testers
  // verify per series, admins keep the templates and the HTTPS-check allow-list.
  "update:read",
  "update:submit",
  "update:review",
  "update:verify",
  "update:manage",
  "package:read",
  "package:manage",
  "package:apply",
  "roles:manage",
  "systems:manage",
  "audit:read",
  "outbox:manage",
] as const;
export type TPermission = (typeof PERMISSIONS)[number];

// The one table that decides authorization (X3). Checked on the server in every
// use-case; pages only use it to decide what to show.
export const ROLE_PERMISSIONS = {
  DEVELOPER: [
    "patch:read",
    "hotfix:read",
    "update:read",
    "patch:submit",
    "update:submit",
    "emergency:respond",
  ],
  ASSESSOR: [
    "patch:read",
    "hotfix:read",
    "update:read",
    "package:read",
    "patch:submit",
    "update:submit",
    "update:review",
    "patch:review",
    "patch:request",
    "hotfix:release",
    "emergency:declare",
    "emergency:respond",
  ],
  TESTER: [
    "patch:read",
    "hotfix:read",
    "update:read",
    "patch:test",
    "update:verify",
    "emergency:respond",
  ],
  CRITICAL_ADMIN: [
    "patch:read",
    "hotfix:read",
    "deploy:tick",
    "visit:attend",
    "emergency:declare",
    "emergency:respond",
    "hotfix:manage",
    "hotfix:release",
    "servers:manage",
    "update:read",
    "package:read",
    "package:manage",
    "package:apply",
  ],
  ACCESS_ENGINEER: [
    "patch:read",
    "hotfix:read",
    "update:read",
    "visit:attend",
    "emergency:respond",
  ],
  ARBITRATOR: [
    "patch:read",
    "hotfix:read",
    "update:read",
    "package:read",
    "dispute:read",
    "dispute:rule",
    "audit:read",
  ],
  ADMIN: [
    "patch:read",
    "hotfix:read",
    "update:read",
    "update:manage",
    "dispute:read",
    "roles:manage",
    "systems:manage",
    "servers:manage",
    "package:read",
    "package:manage",
    "package:apply",
    "audit:read",
    "outbox:manage",
  ],
} as const satisfies Record<TRole, readonly TPermission[]>;

export function can(roles: readonly TRole[], permission: TPermission): boolean {
  return roles.some((role) =>
    (ROLE_PERMISSIONS[role] as readonly TPermission[]).includes(permission),
  );
}

export function permissionsOf(roles: readonly TRole[]): TPermission[] {
  return PERMISSIONS.filter((p) => can(roles, p));
}
