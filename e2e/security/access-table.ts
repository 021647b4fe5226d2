import type { TPermission } from "../../lib/domain/permissions";

/**
 * The authorization matrix's expectations, written by hand from the permission
 * table (lib/domain/permissions.ts) and docs/api.md — never read from the code
 * under test. discover.ts lists every route handler and server action on disk;
 * the matrix fails for one that is missing here, so a new entry point cannot
 * ship without saying who may call it.
 *
 * `needs`:
 * - "public": anyone, signed in or not;
 * - "signed-in": any enabled person, whatever their roles, but not while their
 *   password is temporary;
 * - "temporary-ok": any enabled person, a temporary password included (the
 *   password change itself, signing out);
 * - a permission: a person holding a role with it in ROLE_PERMISSIONS, with
 *   their own password.
 *
 * Each call is harmless: it names objects that do not exist or carries input
 * the use-case refuses after authorizing, so an allowed caller gets 400, 404,
 * 409 or 422 and nothing changes. `refusedAlso` lists statuses (or action
 * result codes) that count as a refusal besides 401/403 for this entry, when
 * a route checks its input before its caller; a refused caller must never get
 * a 2xx.
 */
export type TNeeds = "public" | "signed-in" | "temporary-ok" | TPermission;

export type TBody =
  | { json: unknown }
  | { form: Record<string, string>; files?: Record<string, string> }
  | { text: string; contentType: string };

export type TRouteCall = {
  needs: TNeeds;
  /** The concrete URL, with ids that do not exist. */
  url: string;
  /** How this route authenticates: an API token, or the browser's session cookie. */
  auth: "token" | "session" | "none";
  headers?: Record<string, string>;
  body?: TBody;
  refusedAlso?: number[];
  note?: string;
};

export type TActionArgs =
  /** `(prevState, formData)`: a form bound with useActionState. */
  | { form: Record<string, string>; files?: Record<string, string> }
  /** Plain arguments, as a client component calls it. */
  | { args: unknown[] };

export type TActionCall = {
  needs: TNeeds;
  call: TActionArgs;
  refusedAlso?: string[];
  /** Calls that end the session (sign-out) get a fresh session of their own. */
  ownSession?: boolean;
  note?: string;
};

const NO_PATCH = "cm0nosuchpatch000000000000";
const NO_ID = "cm0nosuchobject00000000000";
const NO_HOTFIX = "hotfix_common_no_such_hotfix";
const NO_INSTALLATION = "no-such-installation";
// A well-formed diff: the refusal comes from the missing patch or system, not from the diff.
export const HARMLESS_DIFF = "--- a/README\n+++ b/README\n@@ -1 +1 @@\n-old line\n+new line\n";
const UPLOAD = { "x-patchgate-upload": "1" };

/** Key: "METHOD /path" as the file system spells it (route groups dropped). */
export const ROUTES: Record<string, TRouteCall> = {
  // Auth.js itself: public by nature. POST /session is the harmless POST it answers.
  "GET /api/auth/[...nextauth]": { needs: "public", url: "/api/auth/session", auth: "session" },
  "POST /api/auth/[...nextauth]": {
    needs: "public",
    url: "/api/auth/session",
    auth: "session",
    body: { json: {} },
  },
  "GET /api/health": { needs: "public", url: "/api/health", auth: "none" },
  "GET /api/portal-key": { needs: "public", url: "/api/portal-key", auth: "none" },
  "GET /emergencies/atom.xml": { needs: "public", url: "/emergencies/atom.xml", auth: "none" },
  "GET /emergencies/feed.json": { needs: "public", url: "/emergencies/feed.json", auth: "none" },
  "GET /api/v1/openapi.json": { needs: "public", url: "/api/v1/openapi.json", auth: "none" },
  // The transparency log (docs/transparency-log.md): checkpoints and proofs are public;
  // the leaves carry payloads, so they need the audit log's permission.
  "GET /api/v1/log/checkpoint": { needs: "public", url: "/api/v1/log/checkpoint", auth: "none" },
  "GET /api/v1/log/checkpoint.asc": {
    needs: "public",
    url: "/api/v1/log/checkpoint.asc",
    auth: "none",
  },
  "GET /api/v1/log/key": { needs: "public", url: "/api/v1/log/key", auth: "none" },
  "GET /api/v1/log/proof/inclusion": {
    needs: "public",
    url: "/api/v1/log/proof/inclusion?index=999999999&size=1000000000",
    auth: "none",
  },
  "GET /api/v1/log/proof/consistency": {
    needs: "public",
    url: "/api/v1/log/proof/consistency?from=999999999&to=1000000000",
    auth: "none",
  },
  "GET /api/v1/log/leaves": {
    needs: "audit:read",
    url: "/api/v1/log/leaves?start=0&end=1",
    auth: "token",
  },

  // No route: 404 in the error shape for every method.
  "GET /api/v1/[...path]": {
    needs: "public",
    url: "/api/v1/no/such/endpoint",
    auth: "none",
  },
  "POST /api/v1/[...path]": {
    needs: "public",
    url: "/api/v1/no/such/endpoint",
    auth: "none",
    body: { json: {} },
  },
  "PUT /api/v1/[...path]": {
    needs: "public",
    url: "/api/v1/no/such/endpoint",
    auth: "none",
    body: { json: {} },
  },
  "PATCH /api/v1/[...path]": {
    needs: "public",
    url: "/api/v1/no/such/endpoint",
    auth: "none",
    body: { json: {} },
  },
  "DELETE /api/v1/[...path]": {
    needs: "public",
    url: "/api/v1/no/such/endpoint",
    auth: "none",
  },

  "GET /api/v1/me": { needs: "signed-in", url: "/api/v1/me", auth: "token" },
  "POST /api/v1/me/keys/[fingerprint]": {
    needs: "signed-in",
    url: `/api/v1/me/keys/${"0".repeat(40)}`,
    auth: "token",
    body: { json: { armored: "not a key" } },
  },
  "PATCH /api/v1/systems/[slug]": {
    needs: "systems:manage",
    url: "/api/v1/systems/no-such-system",
    auth: "token",
    body: { json: { reviewsRequired: 2, testsRequired: 2, reason: "authorization matrix" } },
  },
  // Account & admin over the API (issue 18): the same use-cases as the profile, password,
  // roles, systems and outbox pages. A temporary password gets no token through at all.
  "GET /api/v1/me/keys": { needs: "signed-in", url: "/api/v1/me/keys", auth: "token" },
  "POST /api/v1/me/keys": {
    needs: "signed-in",
    url: "/api/v1/me/keys",
    auth: "token",
    body: { json: { armored: "not a key" } },
  },
  "DELETE /api/v1/me/keys/[fingerprint]": {
    needs: "signed-in",
    url: `/api/v1/me/keys/${"0".repeat(40)}`,
    auth: "token",
  },
  "GET /api/v1/me/tokens": { needs: "signed-in", url: "/api/v1/me/tokens", auth: "token" },
  "POST /api/v1/me/tokens": {
    needs: "signed-in",
    url: "/api/v1/me/tokens",
    auth: "token",
    body: { json: { name: "" } },
  },
  "DELETE /api/v1/me/tokens/[id]": {
    needs: "signed-in",
    url: `/api/v1/me/tokens/${NO_ID}`,
    auth: "token",
  },
  "POST /api/v1/me/password": {
    needs: "signed-in",
    url: "/api/v1/me/password",
    auth: "token",
    body: { json: { current: "", next: "", repeat: "" } },
  },
  "GET /api/v1/users": { needs: "roles:manage", url: "/api/v1/users", auth: "token" },
  "POST /api/v1/users": {
    needs: "roles:manage",
    url: "/api/v1/users",
    auth: "token",
    // A valid body would create an account: an admin gets 400 for this one, anyone else 403.
    body: { json: { email: "not-an-email", name: "" } },
  },
  "POST /api/v1/users/[id]/disable": {
    needs: "roles:manage",
    url: `/api/v1/users/${NO_ID}/disable`,
    auth: "token",
    body: { json: { reason: "authorization matrix" } },
  },
  "POST /api/v1/users/[id]/enable": {
    needs: "roles:manage",
    url: `/api/v1/users/${NO_ID}/enable`,
    auth: "token",
  },
  "GET /api/v1/roles": { needs: "roles:manage", url: "/api/v1/roles", auth: "token" },
  "POST /api/v1/roles": {
    needs: "roles:manage",
    url: "/api/v1/roles",
    auth: "token",
    body: { json: { userId: NO_ID, role: "TESTER" } },
  },
  "POST /api/v1/roles/[grantId]/approve": {
    needs: "roles:manage",
    url: `/api/v1/roles/${NO_ID}/approve`,
    auth: "token",
  },
  "POST /api/v1/roles/[grantId]/revoke": {
    needs: "roles:manage",
    url: `/api/v1/roles/${NO_ID}/revoke`,
    auth: "token",
    body: { json: { reason: "authorization matrix" } },
  },
  "POST /api/v1/roles/[grantId]/revocation": {
    needs: "roles:manage",
    url: `/api/v1/roles/${NO_ID}/revocation`,
    auth: "token",
    body: { json: { reason: "authorization matrix" } },
  },
  "DELETE /api/v1/roles/[grantId]/revocation": {
    needs: "roles:manage",
    url: `/api/v1/roles/${NO_ID}/revocation`,
    auth: "token",
  },
  "POST /api/v1/roles/[grantId]/revocation/confirm": {
    needs: "roles:manage",
    url: `/api/v1/roles/${NO_ID}/revocation/confirm`,
    auth: "token",
  },
  "GET /api/v1/systems": { needs: "signed-in", url: "/api/v1/systems", auth: "token" },
  "GET /api/v1/outbox": { needs: "outbox:manage", url: "/api/v1/outbox", auth: "token" },
  "POST /api/v1/outbox/[id]/retry": {
    needs: "outbox:manage",
    url: `/api/v1/outbox/${NO_ID}/retry`,
    auth: "token",
  },
  // End of account & admin.
  // Issue 18, the terminal client's reads (helper "cli"): waiting for me.
  "GET /api/v1/queue": { needs: "patch:read", url: "/api/v1/queue", auth: "token" },
  "GET /api/v1/patches": {
    needs: "patch:read",
    url: "/api/v1/patches?limit=1",
    auth: "token",
  },
  "POST /api/v1/patches": {
    needs: "patch:submit",
    url: "/api/v1/patches",
    auth: "token",
    body: {
      form: {
        system: "no-such-system",
        title: "matrix",
        summary: "matrix",
        bugId: "1",
        bugSummary: "matrix",
      },
      files: { diff: HARMLESS_DIFF },
    },
  },
  "GET /api/v1/patches/[id]": {
    needs: "patch:read",
    url: `/api/v1/patches/${NO_PATCH}`,
    auth: "token",
  },
  "POST /api/v1/patches/[id]/revisions": {
    needs: "patch:submit",
    url: `/api/v1/patches/${NO_PATCH}/revisions`,
    auth: "token",
    body: { form: {}, files: { diff: HARMLESS_DIFF } },
  },
  "GET /api/v1/patches/[id]/diff": {
    needs: "patch:read",
    url: `/api/v1/patches/${NO_PATCH}/diff`,
    auth: "token",
  },
  // The kind's own permission (review, test, request, presence) is checked against the patch:
  // by role alone, any reader may ask.
  "GET /api/v1/patches/[id]/statement": {
    needs: "patch:read",
    url: `/api/v1/patches/${NO_PATCH}/statement?kind=submit`,
    auth: "token",
  },
  "POST /api/v1/patches/[id]/statement": {
    needs: "patch:read",
    url: `/api/v1/patches/${NO_PATCH}/statement`,
    auth: "token",
    body: { json: { kind: "submit" } },
  },
  // Which permission a statement needs is written in the statement; by role alone, any person.
  "POST /api/v1/patches/[id]/signoffs": {
    needs: "signed-in",
    url: `/api/v1/patches/${NO_PATCH}/signoffs`,
    auth: "token",
    body: { json: { statement: "not a statement", signature: "not a signature" } },
  },
  "GET /api/v1/patches/[id]/evidence": {
    needs: "patch:read",
    url: `/api/v1/patches/${NO_PATCH}/evidence`,
    auth: "token",
  },
  "POST /api/v1/patches/[id]/deployment": {
    needs: "deploy:tick",
    url: `/api/v1/patches/${NO_PATCH}/deployment`,
    auth: "token",
  },
  "POST /api/v1/patches/[id]/deployment/steps/[n]/statement": {
    needs: "deploy:tick",
    url: `/api/v1/patches/${NO_PATCH}/deployment/steps/3/statement`,
    auth: "token",
    body: { json: { evidence: {} } },
  },
  "POST /api/v1/patches/[id]/deployment/steps/[n]/applicability/statement": {
    needs: "deploy:tick",
    url: `/api/v1/patches/${NO_PATCH}/deployment/steps/3/applicability/statement`,
    auth: "token",
    body: { json: { applicable: true, reason: "authorization matrix" } },
  },
  "POST /api/v1/patches/[id]/deployment/tarball": {
    needs: "deploy:tick",
    url: `/api/v1/patches/${NO_PATCH}/deployment/tarball?name=matrix.tar.gz`,
    auth: "token",
    body: { text: "not a tarball", contentType: "application/octet-stream" },
  },
  "GET /api/v1/patches/[id]/deployment/notification": {
    needs: "deploy:tick",
    url: `/api/v1/patches/${NO_PATCH}/deployment/notification`,
    auth: "token",
  },
  "POST /api/v1/patches/[id]/deployment/notification": {
    needs: "deploy:tick",
    url: `/api/v1/patches/${NO_PATCH}/deployment/notification`,
    auth: "token",
    body: { json: { signature: "not a signature" } },
  },

  // The browser's own routes, authorized by the session cookie.
  "POST /patches/new/upload": {
    needs: "patch:submit",
    url: "/patches/new/upload",
    auth: "session",
    headers: UPLOAD,
    body: {
      form: {
        system: "no-such-system",
        title: "matrix",
        summary: "matrix",
        bugId: "1",
        bugSummary: "matrix",
      },
      files: { diff: HARMLESS_DIFF },
    },
  },
  "GET /patches/[id]/diff": {
    needs: "patch:read",
    url: `/patches/${NO_PATCH}/diff`,
    auth: "session",
  },
  "GET /patches/[id]/deployment/diff": {
    needs: "patch:read",
    url: `/patches/${NO_PATCH}/deployment/diff`,
    auth: "session",
  },
  "POST /patches/[id]/deployment/tarball": {
    needs: "deploy:tick",
    url: `/patches/${NO_PATCH}/deployment/tarball?name=matrix.tar.gz`,
    auth: "session",
    headers: UPLOAD,
    body: { text: "not a tarball", contentType: "application/octet-stream" },
  },
  "GET /patches/[id]/evidence": {
    needs: "patch:read",
    url: `/patches/${NO_PATCH}/evidence`,
    auth: "session",
  },

  // Hotfixes (H1–H6, docs/hotfixes.md). Bodies are well-formed but name nothing that exists.
  "GET /api/v1/servers": { needs: "hotfix:read", url: "/api/v1/servers", auth: "token" },
  "POST /api/v1/servers": {
    needs: "servers:manage",
    url: "/api/v1/servers",
    auth: "token",
    body: { json: { slug: "" } },
  },
  "GET /api/v1/hotfixes": { needs: "hotfix:read", url: "/api/v1/hotfixes", auth: "token" },
  "POST /api/v1/hotfixes": {
    needs: "hotfix:manage",
    url: "/api/v1/hotfixes",
    auth: "token",
    body: { form: {}, files: { file: "not a hotfix" } },
  },
  "GET /api/v1/hotfixes/[name]": {
    needs: "hotfix:read",
    url: `/api/v1/hotfixes/${NO_HOTFIX}`,
    auth: "token",
  },
  "DELETE /api/v1/hotfixes/[name]": {
    needs: "hotfix:manage",
    url: `/api/v1/hotfixes/${NO_HOTFIX}`,
    auth: "token",
  },
  "GET /api/v1/hotfixes/[name]/file": {
    needs: "hotfix:read",
    url: `/api/v1/hotfixes/${NO_HOTFIX}/file`,
    auth: "token",
  },
  "GET /api/v1/hotfixes/[name]/evidence": {
    needs: "hotfix:read",
    url: `/api/v1/hotfixes/${NO_HOTFIX}/evidence`,
    auth: "token",
  },
  "GET /api/v1/packages/[id]/evidence": {
    needs: "package:read",
    url: "/api/v1/packages/no-such-package/evidence",
    auth: "token",
  },
  "GET /api/v1/updates/[id]/evidence": {
    needs: "update:read",
    url: "/api/v1/updates/no-such-update/evidence",
    auth: "token",
  },
  // An emergency's evidence bundle (docs/emergencies.md "Evidence bundle"): every team and the arbitrators.
  "GET /api/v1/emergencies/[number]/evidence": {
    needs: "patch:read",
    url: "/api/v1/emergencies/999999/evidence",
    auth: "token",
  },
  // Emergencies and disputes (issue 18, docs/emergencies.md "API"): the pages' use-cases. The
  // number is checked after the step's permission, so an allowed caller gets 404 (or 400).
  "GET /api/v1/emergencies": { needs: "patch:read", url: "/api/v1/emergencies", auth: "token" },
  "POST /api/v1/emergencies": {
    needs: "emergency:declare",
    url: "/api/v1/emergencies",
    auth: "token",
    body: {
      json: { system: "no-such-system", title: "matrix", description: "matrix", severity: "high" },
    },
  },
  "GET /api/v1/emergencies/[number]": {
    needs: "patch:read",
    url: "/api/v1/emergencies/999999",
    auth: "token",
  },
  "POST /api/v1/emergencies/[number]/responders": {
    needs: "emergency:respond",
    url: "/api/v1/emergencies/999999/responders",
    auth: "token",
    body: { json: { team: "DEVELOPERS", userId: NO_ID, contact: "matrix" } },
  },
  // An acknowledgement (a ruling would need dispute:rule).
  "POST /api/v1/emergencies/[number]/statement": {
    needs: "emergency:respond",
    url: "/api/v1/emergencies/999999/statement",
    auth: "token",
    body: { json: { kind: "acknowledge" } },
  },
  // The kind is read from the statement: this one is no ruling, so emergency:respond.
  "POST /api/v1/emergencies/[number]/signoffs": {
    needs: "emergency:respond",
    url: "/api/v1/emergencies/999999/signoffs",
    auth: "token",
    body: { json: { statement: "not a statement", signature: "not a signature" } },
  },
  "GET /api/v1/disputes": { needs: "dispute:read", url: "/api/v1/disputes", auth: "token" },
  "GET /api/v1/disputes/[number]": {
    needs: "dispute:read",
    url: "/api/v1/disputes/999999",
    auth: "token",
  },
  "POST /api/v1/disputes/[number]/statement": {
    needs: "dispute:rule",
    url: "/api/v1/disputes/999999/statement",
    auth: "token",
    body: { json: { verdict: "justified", comment: "matrix" } },
  },
  "POST /api/v1/disputes/[number]/signoffs": {
    needs: "dispute:rule",
    url: "/api/v1/disputes/999999/signoffs",
    auth: "token",
    body: { json: { statement: "not a statement", signature: "not a signature" } },
  },
  "GET /api/v1/hotfixes/[name]/statement": {
    needs: "hotfix:read",
    url: `/api/v1/hotfixes/${NO_HOTFIX}/statement?kind=hotfix-release`,
    auth: "token",
  },
  "POST /api/v1/hotfixes/[name]/signoffs": {
    needs: "hotfix:read",
    url: `/api/v1/hotfixes/${NO_HOTFIX}/signoffs`,
    auth: "token",
    body: { json: { statement: "not a statement", signature: "not a signature" } },
  },
  "GET /api/v1/hotfixes/[name]/servers/[slug]": {
    needs: "hotfix:read",
    url: `/api/v1/hotfixes/${NO_HOTFIX}/servers/no-such-server`,
    auth: "token",
  },
  "POST /api/v1/hotfixes/[name]/servers/[slug]/applications": {
    needs: "hotfix:manage",
    url: `/api/v1/hotfixes/${NO_HOTFIX}/servers/no-such-server/applications`,
    auth: "token",
    body: { json: { outcome: "FAILED", error: "matrix", restartCommand: "true" } },
  },
  "POST /api/v1/hotfixes/[name]/servers/[slug]/unapply": {
    needs: "hotfix:manage",
    url: `/api/v1/hotfixes/${NO_HOTFIX}/servers/no-such-server/unapply`,
    auth: "token",
    body: { json: { restartExit: 0 } },
  },
  // Update modes (U4, docs/update-packages.md): the package does not exist.
  "GET /api/v1/packages/[id]/statement": {
    needs: "package:apply",
    url: `/api/v1/packages/${NO_ID}/statement?kind=package-apply`,
    auth: "token",
  },
  "POST /api/v1/packages/[id]/statement": {
    needs: "package:apply",
    url: `/api/v1/packages/${NO_ID}/statement`,
    auth: "token",
    body: { json: { kind: "package-step", step: 1 } },
  },
  "POST /api/v1/packages/[id]/signoffs": {
    needs: "package:apply",
    url: `/api/v1/packages/${NO_ID}/signoffs`,
    auth: "token",
    body: { json: { statement: "not a statement", signature: "not a signature" } },
  },
  "GET /api/v1/packages/[id]/checklist": {
    needs: "package:read",
    url: `/api/v1/packages/${NO_ID}/checklist`,
    auth: "token",
  },
  "POST /hotfixes/upload": {
    needs: "hotfix:manage",
    url: "/hotfixes/upload",
    auth: "session",
    headers: UPLOAD,
    body: { form: {}, files: { file: "not a hotfix" } },
  },
  "GET /hotfixes/[name]/evidence": {
    needs: "hotfix:read",
    url: `/hotfixes/${NO_HOTFIX}/evidence`,
    auth: "session",
  },

  // Update packages, intake (U1–U3, docs/update-packages.md): no such installation or package.
  "GET /api/v1/installations": {
    needs: "package:read",
    url: "/api/v1/installations",
    auth: "token",
  },
  "POST /api/v1/installations": {
    needs: "package:manage",
    url: "/api/v1/installations",
    auth: "token",
    body: { json: { slug: "" } },
  },
  "GET /api/v1/installations/[slug]": {
    needs: "package:read",
    url: `/api/v1/installations/${NO_INSTALLATION}`,
    auth: "token",
  },
  "PATCH /api/v1/installations/[slug]": {
    needs: "package:manage",
    url: `/api/v1/installations/${NO_INSTALLATION}`,
    auth: "token",
    body: { json: { name: "matrix" } },
  },
  "POST /api/v1/installations/[slug]/certificates": {
    needs: "package:manage",
    url: `/api/v1/installations/${NO_INSTALLATION}/certificates`,
    auth: "token",
    body: { form: {}, files: { certificate: "not a certificate" } },
  },
  "DELETE /api/v1/installations/[slug]/certificates/[sha256]": {
    needs: "package:manage",
    url: `/api/v1/installations/${NO_INSTALLATION}/certificates/${"0".repeat(64)}`,
    auth: "token",
  },
  "POST /api/v1/installations/[slug]/pgp-keys": {
    needs: "package:manage",
    url: `/api/v1/installations/${NO_INSTALLATION}/pgp-keys`,
    auth: "token",
    body: { form: {}, files: { pgpKey: "not a key" } },
  },
  "DELETE /api/v1/installations/[slug]/pgp-keys/[fingerprint]": {
    needs: "package:manage",
    url: `/api/v1/installations/${NO_INSTALLATION}/pgp-keys/${"0".repeat(40)}`,
    auth: "token",
  },
  "GET /api/v1/installations/[slug]/packages": {
    needs: "package:read",
    url: `/api/v1/installations/${NO_INSTALLATION}/packages`,
    auth: "token",
  },
  "POST /api/v1/installations/[slug]/packages": {
    needs: "package:manage",
    url: `/api/v1/installations/${NO_INSTALLATION}/packages`,
    auth: "token",
    body: { form: {}, files: { package: "not a package" } },
  },
  "GET /api/v1/packages/[id]": {
    needs: "package:read",
    url: `/api/v1/packages/${NO_ID}`,
    auth: "token",
  },
  "GET /api/v1/packages/[id]/content": {
    needs: "package:read",
    url: `/api/v1/packages/${NO_ID}/content`,
    auth: "token",
  },
  "POST /api/v1/packages/[id]/verify": {
    needs: "package:manage",
    url: `/api/v1/packages/${NO_ID}/verify`,
    auth: "token",
  },
  "POST /installations/[slug]/packages/upload": {
    needs: "package:manage",
    url: `/installations/${NO_INSTALLATION}/packages/upload`,
    auth: "session",
    headers: UPLOAD,
    body: { form: {}, files: { package: "not a package" } },
  },
  // Release updates, the record (S1–S3, docs/release-updates.md "API"): no such
  // template or update; bodies the use-case refuses after authorizing.
  "GET /api/v1/update-templates": {
    needs: "update:read",
    url: "/api/v1/update-templates",
    auth: "token",
  },
  "POST /api/v1/update-templates": {
    needs: "update:manage",
    url: "/api/v1/update-templates",
    auth: "token",
    body: { json: { slug: "" } },
  },
  "GET /api/v1/update-templates/[slug]": {
    needs: "update:read",
    url: "/api/v1/update-templates/no-such-template",
    auth: "token",
  },
  "PUT /api/v1/update-templates/[slug]": {
    needs: "update:manage",
    url: "/api/v1/update-templates/no-such-template",
    auth: "token",
    body: { json: { name: "" } },
  },
  "GET /api/v1/updates": { needs: "update:read", url: "/api/v1/updates", auth: "token" },
  "POST /api/v1/updates": {
    needs: "update:submit",
    url: "/api/v1/updates",
    auth: "token",
    body: { json: { template: "no-such-template" } },
  },
  "GET /api/v1/updates/[id]": {
    needs: "update:read",
    url: `/api/v1/updates/${NO_ID}`,
    auth: "token",
  },
  "PATCH /api/v1/updates/[id]": {
    needs: "update:submit",
    url: `/api/v1/updates/${NO_ID}`,
    auth: "token",
    body: { json: { title: "matrix" } },
  },
  "POST /api/v1/updates/[id]/submit": {
    needs: "update:submit",
    url: `/api/v1/updates/${NO_ID}/submit`,
    auth: "token",
    body: { json: { statement: "not a statement", signature: "not a signature" } },
  },
  // The statement routes serve four kinds (submit, review, major-ack, verify): the
  // route lets every reader in and the use-case authorizes the kind asked for.
  "GET /api/v1/updates/[id]/statement": {
    needs: "update:read",
    url: `/api/v1/updates/${NO_ID}/statement?kind=update-review&verdict=approve`,
    auth: "token",
  },
  "POST /api/v1/updates/[id]/statement": {
    needs: "update:read",
    url: `/api/v1/updates/${NO_ID}/statement`,
    auth: "token",
    body: { json: { kind: "update-review", verdict: "approve" } },
  },
  "POST /api/v1/updates/[id]/signoffs": {
    needs: "update:read",
    url: `/api/v1/updates/${NO_ID}/signoffs`,
    auth: "token",
    body: { json: { statement: "not a statement", signature: "not a signature" } },
  },
  // Release updates, per-series verification (S3, docs/release-updates.md): no such record,
  // hosts that are not listed.
  "POST /api/v1/updates/[id]/series/[series]/https-check": {
    needs: "update:verify",
    url: `/api/v1/updates/${NO_ID}/series/jammy/https-check`,
    auth: "token",
    body: { json: { url: "https://localhost/" } },
    note: "an allowed caller gets 404 (no such record) before the allow-list is consulted",
  },
  "GET /api/v1/updates/[id]/series/[series]/https-check": {
    needs: "update:read",
    url: `/api/v1/updates/${NO_ID}/series/jammy/https-check`,
    auth: "token",
  },
  "POST /api/v1/updates/[id]/series/[series]/evidence": {
    needs: "update:verify",
    url: `/api/v1/updates/${NO_ID}/series/jammy/evidence`,
    auth: "token",
    body: { json: { kind: "smoke", url: "https://example.org/log", result: "pass" } },
  },
  "GET /api/v1/https-hosts": { needs: "update:read", url: "/api/v1/https-hosts", auth: "token" },
  "POST /api/v1/https-hosts": {
    needs: "update:manage",
    url: "/api/v1/https-hosts",
    auth: "token",
    body: { json: { host: "*.not-a-host" } },
  },
  "DELETE /api/v1/https-hosts/[host]": {
    needs: "update:manage",
    url: "/api/v1/https-hosts/no-such-host.example.org",
    auth: "token",
  },
  // Update packages, the portal's own downloads (docs/update-packages.md "Pages").
  "GET /packages/[id]/content": {
    needs: "package:read",
    url: `/packages/${NO_ID}/content`,
    auth: "session",
  },
  "GET /packages/[id]/evidence": {
    needs: "package:read",
    url: `/packages/${NO_ID}/evidence`,
    auth: "session",
  },
  // Release updates: the evidence bundle's download (docs/release-updates.md "Evidence bundle").
  "GET /updates/[id]/evidence": {
    needs: "update:read",
    url: `/updates/${NO_ID}/evidence`,
    auth: "session",
  },
  "GET /emergencies/[number]/evidence": {
    needs: "patch:read",
    url: "/emergencies/999999/evidence",
    auth: "session",
  },
};

/** Key: "<file>#<export>" for every export of every "use server" file. */
export const ACTIONS: Record<string, TActionCall> = {
  // Signing in is for visitors; an empty form is refused before any password is checked.
  "lib/actions/auth.ts#signInAction": { needs: "public", call: { form: {} } },
  "lib/actions/auth.ts#signOutAction": { needs: "public", call: { args: [] }, ownSession: true },
  "lib/actions/password.ts#changePasswordAction": {
    needs: "temporary-ok",
    call: { form: { current: "", next: "", repeat: "" } },
  },
  // The set-your-password link's page is public: the secret in the form is the credential.
  "lib/actions/password.ts#setPasswordWithLinkAction": {
    needs: "public",
    call: {
      form: { secret: "no-such-link", next: "a-long-new-password", repeat: "a-long-new-password" },
    },
  },

  "lib/actions/profile.ts#registerKeyAction": {
    needs: "signed-in",
    call: { form: { armored: "not a key" } },
  },
  "lib/actions/profile.ts#updateKeyAction": {
    needs: "signed-in",
    call: { form: { fingerprint: "0".repeat(40), armored: "not a key" } },
  },
  "lib/actions/profile.ts#ownKeyFingerprintsAction": { needs: "signed-in", call: { args: [] } },
  "lib/actions/profile.ts#removeKeyAction": {
    needs: "signed-in",
    call: { form: { keyId: NO_ID } },
  },
  "lib/actions/profile.ts#createTokenAction": { needs: "signed-in", call: { form: { name: "" } } },
  "lib/actions/profile.ts#revokeTokenAction": {
    needs: "signed-in",
    call: { form: { tokenId: NO_ID } },
  },

  "lib/actions/hotfixes.ts#addServerAction": {
    needs: "servers:manage",
    call: { form: { slug: "" } },
  },
  "lib/actions/hotfixes.ts#issueHotfixStatementAction": {
    needs: "hotfix:read",
    call: { args: [{ name: NO_HOTFIX, kind: "hotfix-release" }] },
  },
  "lib/actions/hotfixes.ts#recordHotfixSignoffAction": {
    needs: "hotfix:read",
    call: {
      args: [{ name: NO_HOTFIX, statement: "not a statement", signature: "not a signature" }],
    },
  },
  "lib/actions/hotfixes.ts#deleteHotfixAction": {
    needs: "hotfix:manage",
    call: { form: { name: NO_HOTFIX } },
  },

  "lib/actions/updates.ts#createInstallationAction": {
    needs: "package:manage",
    call: { form: { slug: "" } },
  },
  "lib/actions/updates.ts#updateInstallationAction": {
    needs: "package:manage",
    call: { form: { slug: NO_INSTALLATION, mode: "manual" } },
  },
  "lib/actions/updates.ts#trustCertificateAction": {
    needs: "package:manage",
    call: { form: { slug: NO_INSTALLATION }, files: { certificate: "not a certificate" } },
  },
  "lib/actions/updates.ts#replaceCertificateAction": {
    needs: "package:manage",
    call: {
      form: { slug: NO_INSTALLATION, sha256: "0".repeat(64) },
      files: { certificate: "not a certificate" },
    },
  },
  "lib/actions/updates.ts#removeCertificateAction": {
    needs: "package:manage",
    call: { form: { slug: NO_INSTALLATION, sha256: "0".repeat(64) } },
  },
  "lib/actions/updates.ts#trustPgpKeyAction": {
    needs: "package:manage",
    call: { form: { slug: NO_INSTALLATION }, files: { pgpKey: "not a key" } },
  },
  "lib/actions/updates.ts#removePgpKeyAction": {
    needs: "package:manage",
    call: { form: { slug: NO_INSTALLATION, fingerprint: "0".repeat(40) } },
  },
  "lib/actions/updates.ts#reverifyPackageAction": {
    needs: "package:manage",
    call: { form: { id: NO_ID } },
  },
  "lib/actions/updates.ts#issuePackageStatementAction": {
    needs: "package:apply",
    call: { args: [{ id: NO_ID, kind: "package-apply" }] },
  },
  "lib/actions/updates.ts#recordPackageSignoffAction": {
    needs: "package:apply",
    call: { args: [{ id: NO_ID, statement: "not a statement", signature: "no" }] },
  },

  // Release updates (issue 14, docs/release-updates.md): no such template, record or host.
  "lib/actions/release-updates.ts#createUpdateAction": {
    needs: "update:submit",
    call: {
      form: {
        template: "no-such-template",
        system: "no-such-system",
        title: "t",
        packages: "p",
        version: "1",
        series: "s",
        bugId: "1",
      },
    },
  },
  "lib/actions/release-updates.ts#editUpdateAction": {
    needs: "update:submit",
    call: { form: { id: NO_ID, title: "t" } },
  },
  "lib/actions/release-updates.ts#issueUpdateStatementAction": {
    needs: "update:read",
    note: "update:read first; the kind's permission (update:submit/review/verify) once the record is found",
    call: { args: [{ id: NO_ID, kind: "update-review", verdict: "approve" }] },
  },
  "lib/actions/release-updates.ts#recordUpdateSignoffAction": {
    needs: "update:read",
    note: "update:read first; the statement's kind decides the rest (update:submit/review/verify)",
    call: { args: [{ id: NO_ID, statement: "not a statement", signature: "no" }] },
  },
  "lib/actions/release-updates.ts#recordAcmeEvidenceAction": {
    needs: "update:verify",
    call: {
      form: { id: NO_ID, series: "noble", domain: "a.example", acmeServer: "x", certificate: "x" },
    },
  },
  "lib/actions/release-updates.ts#recordSmokeEvidenceAction": {
    needs: "update:verify",
    call: { form: { id: NO_ID, series: "noble", url: "https://a.example/", result: "pass" } },
  },
  "lib/actions/release-updates.ts#requestHttpsCheckAction": {
    needs: "update:verify",
    call: { form: { id: NO_ID, series: "noble", server: "apache", url: "https://a.example/" } },
  },
  "lib/actions/release-updates.ts#saveTemplateAction": {
    needs: "update:manage",
    call: { form: { slug: "", name: "", body: "" } },
  },
  "lib/actions/release-updates.ts#allowHttpsHostAction": {
    needs: "update:manage",
    call: { form: { host: "" } },
  },
  "lib/actions/release-updates.ts#removeHttpsHostAction": {
    needs: "update:manage",
    call: { form: { host: "no-such-host.example" } },
  },

  "lib/actions/outbox.ts#retryOutboxAction": {
    needs: "outbox:manage",
    call: { form: { outboxId: NO_ID } },
  },
  "lib/actions/systems.ts#setSystemPolicyAction": {
    needs: "systems:manage",
    call: {
      form: { slug: "no-such-system", reviewsRequired: "2", testsRequired: "2", reason: "matrix" },
    },
  },
  "lib/actions/roles.ts#nominateRoleAction": {
    needs: "roles:manage",
    call: { form: { userId: NO_ID, role: "TESTER" } },
  },
  "lib/actions/roles.ts#approveRoleAction": {
    needs: "roles:manage",
    call: { form: { grantId: NO_ID } },
  },
  "lib/actions/roles.ts#revokeRoleAction": {
    needs: "roles:manage",
    call: { form: { grantId: NO_ID, reason: "matrix" } },
  },
  "lib/actions/roles.ts#requestRoleRevocationAction": {
    needs: "roles:manage",
    call: { form: { grantId: NO_ID, reason: "matrix" } },
  },
  "lib/actions/roles.ts#confirmRoleRevocationAction": {
    needs: "roles:manage",
    call: { form: { grantId: NO_ID } },
  },
  "lib/actions/roles.ts#cancelRoleRevocationAction": {
    needs: "roles:manage",
    call: { form: { grantId: NO_ID } },
  },
  "lib/actions/roles.ts#setUserDisabledAction": {
    needs: "roles:manage",
    call: { form: { userId: NO_ID, disabled: "true", reason: "matrix" } },
  },
  "lib/actions/roles.ts#createUserAction": {
    needs: "roles:manage",
    call: { form: { email: "not-an-email", name: "", password: "" } },
  },

  "lib/actions/patches.ts#issueStatementAction": {
    needs: "patch:read",
    call: { args: [{ patchId: NO_PATCH, kind: "submit" }] },
  },
  "lib/actions/patches.ts#recordSignoffAction": {
    needs: "signed-in",
    call: { args: [{ patchId: NO_PATCH, statement: "not a statement", signature: "no" }] },
  },
  "lib/actions/patches.ts#addRevisionAction": {
    needs: "patch:submit",
    call: { form: { patchId: NO_PATCH }, files: { diff: HARMLESS_DIFF } },
  },

  "lib/actions/deployments.ts#openDeploymentAction": {
    needs: "deploy:tick",
    call: { form: { patchId: NO_PATCH } },
  },
  "lib/actions/deployments.ts#issueStepStatementAction": {
    needs: "deploy:tick",
    call: { args: [{ patchId: NO_PATCH, number: 3, evidence: {} }] },
  },
  "lib/actions/deployments.ts#issueDecisionStatementAction": {
    needs: "deploy:tick",
    call: { args: [{ patchId: NO_PATCH, number: 3, applicable: true, reason: "matrix" }] },
  },
  "lib/actions/deployments.ts#notificationPartAction": {
    needs: "deploy:tick",
    call: { args: [{ patchId: NO_PATCH }] },
  },
  "lib/actions/deployments.ts#signNotificationAction": {
    needs: "deploy:tick",
    call: { args: [{ patchId: NO_PATCH, signature: "not a signature" }] },
  },

  "lib/actions/emergencies.ts#declareEmergencyAction": {
    needs: "emergency:declare",
    call: {
      form: {
        system: "no-such-system",
        title: "matrix",
        description: "matrix",
        severity: "high",
      },
    },
  },
  "lib/actions/emergencies.ts#nameResponderAction": {
    needs: "emergency:respond",
    call: {
      form: { emergencyId: NO_ID, team: "DEVELOPERS", userId: NO_ID, contact: "matrix" },
    },
  },
  // The kind's permission (respond, rule) is checked against the emergency: by role, any person.
  "lib/actions/emergencies.ts#issueEmergencyStatementAction": {
    needs: "signed-in",
    call: { args: [{ emergencyId: NO_ID, kind: "acknowledge" }] },
  },
  // The kind is read from the statement: a ruling needs dispute:rule, anything else is an
  // acknowledgement or a move, which need emergency:respond. This statement is no ruling.
  "lib/actions/emergencies.ts#recordEmergencyStatementAction": {
    needs: "emergency:respond",
    call: { args: [{ statement: "not a statement", signature: "no" }] },
  },
};
