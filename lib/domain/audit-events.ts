import { z } from "zod";
import { ROLES } from "./roles";

// Every audit action and the shape of its payload. A payload that does not
// match is a bug and aborts the transaction that wanted to write it.
const ZRole = z.enum(ROLES);

export const AUDIT_PAYLOADS = {
  "user.created": z.object({ email: z.string(), name: z.string() }),
  "user.disabled": z.object({ reason: z.string().optional() }),
  "user.enabled": z.object({}),
  "user.password_changed": z.object({}),
  // Sign-in and sign-out (issue 11, findings 2 and 4); never a password.
  "user.signed_in": z.object({
    sessionId: z.string(),
    expiresAt: z.string(),
    address: z.string().nullable(),
  }),
  "user.sign_in_failed": z.object({
    email: z.string(),
    reason: z.enum([
      "unknown_email",
      "wrong_password",
      "disabled",
      "account_locked",
      "address_limited",
    ]),
    address: z.string().nullable(),
    /** Consecutive failures of the account so far (absent for attempts refused unchecked). */
    failures: z.number().int().optional(),
  }),
  "user.signed_out": z.object({ sessionId: z.string() }),
  "user.password_link_issued": z.object({ setupId: z.string(), expiresAt: z.string() }),
  "user.password_set": z.object({ setupId: z.string() }),
  "role.nominated": z.object({ userId: z.string(), role: ZRole, note: z.string().optional() }),
  "role.approved": z.object({ userId: z.string(), role: ZRole, via: z.string() }),
  "role.revoked": z.object({
    userId: z.string(),
    role: ZRole,
    reason: z.string(),
    requestedBy: z.string().optional(),
  }),
  "role.revoke_requested": z.object({ userId: z.string(), role: ZRole, reason: z.string() }),
  "role.revoke_cancelled": z.object({ userId: z.string(), role: ZRole }),
  "key.registered": z.object({
    userId: z.string(),
    fingerprint: z.string(),
    algorithm: z.string(),
  }),
  "key.removed": z.object({ userId: z.string(), fingerprint: z.string() }),
  /** The owner sent an updated certificate (new expiry, user IDs or subkeys). */
  "key.updated": z.object({
    userId: z.string(),
    fingerprint: z.string(),
    expiresAt: z.string().nullable(),
    userIds: z.array(z.string()),
  }),
  /** The owner sent a revocation: signatures received from `revokedAt` on are refused. */
  "key.revoked": z.object({
    userId: z.string(),
    fingerprint: z.string(),
    revokedAt: z.string(),
    reason: z.string(),
  }),
  "token.created": z.object({
    userId: z.string(),
    name: z.string(),
    prefix: z.string(),
    scope: z.enum(["read", "sign"]).optional(),
    expiresAt: z.string().optional(),
  }),
  "token.revoked": z.object({ userId: z.string(), prefix: z.string() }),
  "token.revoked_all": z.object({
    userId: z.string(),
    count: z.number().int(),
    reason: z.enum(["password_changed", "password_set", "disabled"]),
  }),
  "system.created": z.object({
    slug: z.string(),
    name: z.string(),
    procedure: z.string(),
    reviewsRequired: z.number().int(),
    testsRequired: z.number().int(),
  }),
  "system.updated": z.object({ slug: z.string(), changes: z.record(z.string(), z.unknown()) }),
  "system.policy": z.object({
    slug: z.string(),
    from: z.object({ reviewsRequired: z.number().int(), testsRequired: z.number().int() }),
    to: z.object({ reviewsRequired: z.number().int(), testsRequired: z.number().int() }),
    reason: z.string(),
    /** Patches not yet requested, whose gates now count under the new policy. */
    patches: z.number().int(),
  }),
  "patch.created": z.object({
    number: z.number().int(),
    system: z.string(),
    title: z.string(),
    bugId: z.string(),
    diffSha256: z.string(),
  }),
  "patch.revised": z.object({ revision: z.number().int(), diffSha256: z.string() }),
  "patch.signed": z.object({
    kind: z.string(),
    verdict: z.string(),
    revision: z.number().int(),
    diffSha256: z.string(),
    fingerprint: z.string(),
    statementId: z.string(),
  }),
  "patch.state": z.object({ from: z.string(), to: z.string() }),
  "patch.withdrawn": z.object({
    revision: z.number().int(),
    reason: z.string(),
    fingerprint: z.string(),
    statementId: z.string(),
  }),
  "deployment.opened": z.object({
    patchId: z.string(),
    revision: z.number().int(),
    procedure: z.string(),
  }),
  "deployment.step": z.object({
    patchId: z.string(),
    number: z.number().int(),
    status: z.string(),
    // X1: the signed statement of a tick by hand (worker steps have none).
    statementId: z.string().optional(),
    fingerprint: z.string().optional(),
  }),
  "deployment.applicability": z.object({
    patchId: z.string(),
    number: z.number().int(),
    applicable: z.boolean(),
    reason: z.string(),
    statementId: z.string().optional(),
    fingerprint: z.string().optional(),
  }),
  "deployment.presence": z.object({
    patchId: z.string(),
    role: z.string(),
    fingerprint: z.string(),
    statementId: z.string(),
  }),
  "deployment.state": z.object({ patchId: z.string(), from: z.string(), to: z.string() }),
  // P9: the tarball of step 7 uploaded in the browser, stored by its SHA-256.
  "deployment.tarball-uploaded": z.object({
    patchId: z.string(),
    name: z.string(),
    sha256: z.string(),
    bytes: z.number().int(),
  }),
  // P7: the critical admin's own signature on the notification to the system-log list.
  "deployment.notification-signed": z.object({
    patchId: z.string(),
    fingerprint: z.string(),
    partSha256: z.string(),
  }),
  // Emergencies and arbitration (E1–E7).
  "emergency.declared": z.object({
    number: z.number().int(),
    system: z.string(),
    title: z.string(),
    severity: z.string(),
    deadlineAt: z.string(),
  }),
  "emergency.responder": z.object({ team: z.string(), userId: z.string() }),
  "emergency.acknowledged": z.object({
    team: z.string(),
    fingerprint: z.string(),
    statementId: z.string(),
  }),
  "emergency.move": z.object({
    kind: z.string(),
    from: z.string(),
    to: z.string(),
    reason: z.string().optional(),
    detail: z.record(z.string(), z.string()).optional(),
    fingerprint: z.string(),
    statementId: z.string(),
  }),
  "emergency.escalated": z.object({ hoursBefore: z.number() }),
  // E3: option 1's patch installed by its deployment record: the deploy gate, and the emergency resolved.
  "emergency.fast-path-deployed": z.object({
    patchId: z.string(),
    deploymentId: z.string(),
    sha256: z.string(),
  }),
  // E3: the 24 hours ran out with option 1 unfinished; everyone is told once.
  "emergency.deadline-passed": z.object({ deadlineAt: z.string(), state: z.string() }),
  "dispute.filed": z.object({
    emergencyId: z.string(),
    number: z.number().int(),
    cause: z.string(),
  }),
  "dispute.ruled": z.object({
    verdict: z.string(),
    fingerprint: z.string(),
    statementId: z.string(),
  }),
  "outbox.retried": z.object({
    kind: z.string(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
  }),
  "server.added": z.object({
    slug: z.string(),
    name: z.string(),
    role: z.string(),
    product: z.string(),
    version: z.string(),
  }),
  "hotfix.uploaded": z.object({
    name: z.string(),
    fileName: z.string(),
    sha256: z.string(),
    files: z.number().int(),
  }),
  "hotfix.released": z.object({
    name: z.string(),
    fingerprint: z.string(),
    statementId: z.string(),
  }),
  "hotfix.applied": z.object({
    name: z.string(),
    server: z.string(),
    restartCommand: z.string(),
    restartExit: z.number().int().nullable(),
  }),
  "hotfix.apply-failed": z.object({ name: z.string(), server: z.string(), error: z.string() }),
  "hotfix.verified": z.object({
    name: z.string(),
    server: z.string(),
    action: z.enum(["apply", "unapply"]),
    fingerprint: z.string(),
    statementId: z.string(),
  }),
  "hotfix.unapplied": z.object({
    name: z.string(),
    server: z.string(),
    restartCommand: z.string(),
    restartExit: z.number().int().nullable(),
  }),
  "hotfix.deleted": z.object({ name: z.string() }),
  // Signed update packages (U1–U5).
  "installation.created": z.object({
    slug: z.string(),
    name: z.string(),
    product: z.string(),
    mode: z.enum(["AUTOMATIC", "SEMI_AUTOMATIC", "MANUAL"]),
    enterprise: z.boolean(),
  }),
  /** The fields changed, each with its new value (a secret's env name, never the secret). */
  "installation.updated": z.object({
    slug: z.string(),
    changes: z.record(z.string(), z.union([z.string(), z.boolean(), z.null()])),
  }),
  "certificate.trusted": z.object({
    installation: z.string(),
    sha256: z.string(),
    subject: z.string(),
    notAfter: z.string(),
  }),
  "certificate.removed": z.object({ installation: z.string(), sha256: z.string() }),
  "pgp-key.trusted": z.object({ installation: z.string(), fingerprint: z.string() }),
  "pgp-key.removed": z.object({ installation: z.string(), fingerprint: z.string() }),
  "certificate.expiry-warned": z.object({
    installation: z.string(),
    sha256: z.string(),
    mark: z.number().int(),
  }),
  "package.received": z.object({
    installation: z.string(),
    packageId: z.string(),
    channel: z.enum(["BROWSER", "API", "INBOX"]),
    fileName: z.string(),
    sha256: z.string(),
    bytes: z.number().int(),
  }),
  /** A verdict, the first one or a re-verification's, with the trust it was checked against. */
  "package.verdict": z.object({
    installation: z.string(),
    packageId: z.string(),
    state: z.enum(["VERIFIED", "QUARANTINED"]),
    reason: z.string().nullable(),
    certificates: z.array(z.string()),
    pgpKeys: z.array(z.string()),
  }),
  "package.applied": z.object({
    packageId: z.string(),
    updateId: z.string(),
    fingerprint: z.string(),
    statementId: z.string(),
  }),
  "package.step-ticked": z.object({
    packageId: z.string(),
    updateId: z.string(),
    step: z.number().int(),
    key: z.string(),
    fingerprint: z.string(),
    statementId: z.string(),
  }),
  "package.update-completed": z.object({
    packageId: z.string(),
    updateId: z.string(),
    mode: z.enum(["AUTOMATIC", "SEMI_AUTOMATIC", "MANUAL"]),
  }),
  "package.post-update-called": z.object({
    updateId: z.string(),
    url: z.string(),
    status: z.number().int().nullable(),
  }),
  // Stable release updates (S1–S3). Subjects: "update" (the record), "update-template",
  // "https-host". Signed acts carry the statement they were recorded from.
  "update-template.saved": z.object({
    slug: z.string(),
    name: z.string(),
    bodySha256: z.string(),
    created: z.boolean(),
  }),
  "update.created": z.object({
    number: z.number().int(),
    template: z.string(),
    system: z.string(),
    packages: z.array(z.string()),
    version: z.string(),
    series: z.array(z.string()),
    bugId: z.string(),
  }),
  /** An edit: the fields changed and the body's new SHA-256; voids reviews when it follows a submission. */
  "update.edited": z.object({
    number: z.number().int(),
    fields: z.array(z.string()),
    bodySha256: z.string(),
    voidedRevision: z.number().int().nullable(),
  }),
  "update.submitted": z.object({
    number: z.number().int(),
    revision: z.number().int(),
    bodySha256: z.string(),
    fingerprint: z.string(),
    statementId: z.string(),
  }),
  "update.reviewed": z.object({
    number: z.number().int(),
    revision: z.number().int(),
    verdict: z.enum(["approve", "reject"]),
    fingerprint: z.string(),
    statementId: z.string(),
  }),
  "update.change-acknowledged": z.object({
    number: z.number().int(),
    revision: z.number().int(),
    change: z.number().int(),
    changeSha256: z.string(),
    fingerprint: z.string(),
    statementId: z.string(),
  }),
  /** The record's state moved as a consequence of a signed act (approved, rejected). */
  "update.state-changed": z.object({
    number: z.number().int(),
    revision: z.number().int(),
    from: z.enum(["DRAFT", "SUBMITTED", "APPROVED", "REJECTED"]),
    to: z.enum(["DRAFT", "SUBMITTED", "APPROVED", "REJECTED"]),
  }),
  "update.evidence-recorded": z.object({
    number: z.number().int(),
    revision: z.number().int(),
    series: z.string(),
    kind: z.enum(["ACME", "SMOKE"]),
    evidenceId: z.string(),
    ok: z.boolean(),
  }),
  "update.https-check-requested": z.object({
    number: z.number().int(),
    revision: z.number().int(),
    series: z.string(),
    server: z.enum(["apache", "nginx"]),
    checkId: z.string(),
    url: z.string(),
  }),
  "update.https-checked": z.object({
    checkId: z.string(),
    ok: z.boolean(),
    sha256: z.string().nullable(),
    reason: z.string(),
  }),
  "update.verified": z.object({
    number: z.number().int(),
    revision: z.number().int(),
    series: z.string(),
    verdict: z.enum(["pass", "fail"]),
    evidenceSha256: z.string(),
    fingerprint: z.string(),
    statementId: z.string(),
  }),
  "https-host.allowed": z.object({ host: z.string(), note: z.string() }),
  "https-host.removed": z.object({ host: z.string() }),
  // Issue #16: the current checkpoint mailed to every system-log list (daily, or an operator's
  // `patchgate log checkpoint --mail`), so the lists' archives witness the log.
  "log.checkpoint-mailed": z.object({
    treeSize: z.string(),
    rootHash: z.string(),
    to: z.array(z.string()),
    reason: z.enum(["daily", "operator"]),
  }),
} as const;

export type TAuditAction = keyof typeof AUDIT_PAYLOADS;
export type TAuditPayload<A extends TAuditAction> = z.infer<(typeof AUDIT_PAYLOADS)[A]>;
export const AUDIT_ACTIONS = Object.keys(AUDIT_PAYLOADS) as TAuditAction[];

export function parseAuditPayload<A extends TAuditAction>(
  action: A,
  payload: unknown,
): TAuditPayload<A> {
  return AUDIT_PAYLOADS[action].parse(payload) as TAuditPayload<A>;
}
