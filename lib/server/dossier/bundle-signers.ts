import "server-only";
import { rolesHeldAt, type TRole } from "../../domain/roles";

type TGrant = { userId: string; role: TRole; approvedAt: Date | null; revokedAt: Date | null };
type TAccount = { id: string; email: string; name: string };

/**
 * A statement's signer as every dossier and bundle names them: the account,
 * its address and name, and the roles held when the portal received the
 * statement (the verifier checks the move against these, not today's roles).
 */
export function signerAt(
  s: { signerId: string; receivedAt: Date },
  person: { email: string; name: string },
  grants: readonly TGrant[],
) {
  return {
    account: s.signerId,
    email: person.email,
    name: person.name,
    roles: rolesHeldAt(
      grants.filter((g) => g.userId === s.signerId),
      s.receivedAt,
    ),
  };
}

/** The signing keys of these statements, once each, by fingerprint, bound to their accounts. */
export function signersKeys(
  rows: readonly { key: { fingerprint: string; armored: string; userId: string } }[],
  account: (userId: string) => TAccount,
) {
  return [...new Map(rows.map((s) => [s.key.fingerprint, s.key])).values()]
    .sort((a, b) => a.fingerprint.localeCompare(b.fingerprint))
    .map((k) => ({ fingerprint: k.fingerprint, armored: k.armored, account: account(k.userId) }));
}
