import type { TKeyStanding } from "@/lib/server/keys/key-standing";
import { formatDateTime } from "@/lib/format";

/**
 * Beside a signature: its key revoked since (what it signed before its
 * revocation still counts), or a key none of whose user IDs carries the
 * signer's address.
 */
export function KeyStandingNote({
  standing,
  className,
}: {
  standing: TKeyStanding;
  className?: string;
}) {
  return (
    <>
      {standing.revokedAt && (
        <div className={className} data-testid="signer-key-revoked">
          <span className="chip warn">key revoked {formatDateTime(standing.revokedAt)}</span> signed
          before the revocation: still counts
        </div>
      )}
      {!standing.matchesAccount && (
        <div className={className} data-testid="signer-key-unbound">
          <span className="chip warn">key not bound</span> none of the key&apos;s user IDs carries
          the signer&apos;s address
        </div>
      )}
    </>
  );
}
