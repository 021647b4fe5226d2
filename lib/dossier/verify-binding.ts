import { can, type TPermission } from "../domain/permissions";
import { parseRole, ROLE_LABEL, type TRole } from "../domain/roles";
import type { TStatementKind } from "../domain/statements";
import type { TDeploymentFile, TManifest } from "./manifest";
import type { CheckLog } from "./check-log";
import type { TVerifiedStatement } from "./verify-statements";

// Issue #11: a signature proves only that a key signed. Which person that key is,
// and what that person was allowed to sign, comes from the portal's signed
// manifest: each key's account, and each signer's roles when the statement
// was received.

/** What a statement of each kind needs its signer to have held (as the portal's rules ask). */
const NEEDS: Record<Exclude<TStatementKind, "presence" | "withdraw">, TPermission> = {
  submit: "patch:submit",
  review: "patch:review",
  test: "patch:test",
  request: "patch:request",
  step: "deploy:tick",
};

function roleProblem(s: TVerifiedStatement, authorId: string): string | null {
  const roles = s.signer.roles as TRole[];
  const held = roles.length ? roles.map((r) => ROLE_LABEL[r]).join(", ") : "no role";
  if (s.kind === "presence") {
    const role = parseRole(s.parsed.role ?? "");
    return role && roles.includes(role)
      ? null
      : `a presence as ${s.parsed.role}, but the signer held ${held} when it was received`;
  }
  if (s.kind === "withdraw")
    return s.signer.account === authorId || can(roles, "patch:review")
      ? null
      : `a withdraw by neither the author nor an assessor (the signer held ${held})`;
  const permission = NEEDS[s.kind];
  return can(roles, permission)
    ? null
    : `a ${s.kind} needs ${permission}, but the signer held ${held} when it was received`;
}

/**
 * Every statement's key is registered to the account the statement names, and
 * that account held a role allowed to sign it; every notification's key is its
 * signer's.
 */
export function checkBinding(
  log: CheckLog,
  manifest: TManifest,
  statements: TVerifiedStatement[],
  deployments: TDeploymentFile["deployments"],
): void {
  const owner = new Map(manifest.keys.map((k) => [k.fingerprint, k.account]));
  const keyProblem = (fingerprint: string, signer: { account: string; email: string }) => {
    const account = owner.get(fingerprint);
    if (!account) return `key ${fingerprint} has no account in the manifest`;
    if (account.id !== signer.account || account.email !== signer.email)
      return `key ${fingerprint} belongs to account ${account.id} (${account.name} <${account.email}>), not to the signer ${signer.account} (${signer.email})`;
    return null;
  };
  for (const s of statements) {
    const problems = [keyProblem(s.fingerprint, s.signer), roleProblem(s, manifest.patch.author)];
    log.expect(
      "account",
      s.file,
      problems.filter((p) => p !== null),
      `key ${s.fingerprint} is ${s.signer.name} <${s.signer.email}>'s, who held ${s.signer.roles.map((r) => ROLE_LABEL[r]).join(", ")}`,
    );
  }
  for (const d of deployments) {
    if (!d.notification) continue;
    const problem = keyProblem(d.notification.fingerprint, d.notification.signer);
    log.expect(
      "account",
      d.notification.part,
      problem ? [problem] : [],
      `key ${d.notification.fingerprint} is ${d.notification.signer.email}'s`,
    );
  }
}
