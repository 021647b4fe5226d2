import Link from "next/link";
import { pageActor } from "@/lib/auth/require-actor";
import { getProfile } from "@/lib/server/users/get-profile";
import { ROLE_LABEL } from "@/lib/domain/roles";
import { ActionForm } from "@/app/_components/action-form";
import { removeKeyAction, revokeTokenAction } from "@/lib/actions/profile";
import { formatDateTime, formatFingerprint } from "@/lib/format";
import { userIdMismatchWarning, userIdsClaimEmail } from "@/lib/domain/key-user-ids";
import { PasteKeyForm } from "./_components/paste-key-form";
import { UpdateKeyForm } from "./_components/update-key-form";
import { GenerateKey } from "./_components/generate-key";
import { ImportKey } from "./_components/import-key";
import { BrowserKeys } from "./_components/browser-keys";
import { CreateTokenForm } from "./_components/create-token-form";
import { scopeOf } from "@/lib/server/tokens/token-scope-db";

export const metadata = { title: "Profile" };

export default async function ProfilePage() {
  const actor = await pageActor();
  const { keys, tokens } = await getProfile({ actor });
  const now = new Date();
  const liveKeys = keys.filter((k) => !k.removedAt && !k.revokedAt);
  const registered = liveKeys.map((k) => k.fingerprint);
  return (
    <>
      <div className="page-head">
        <h1>{actor.name}</h1>
        <p>
          {actor.email} · {actor.roles.map((r) => ROLE_LABEL[r]).join(", ") || "no role"} ·{" "}
          <Link href="/password">Change your password</Link>
        </p>
      </div>

      <section className="panel" aria-labelledby="keys-h">
        <h2 id="keys-h">Your OpenPGP keys</h2>
        <p className="muted small">
          Every sign-off is a detached signature by one of these keys. Compare the fingerprint with{" "}
          <code>gpg --fingerprint</code>.
        </p>
        {liveKeys.length === 0 && (
          <p className="notice warn">
            No key that can sign: import your private key, paste your public key or generate one
            below.
          </p>
        )}
        {keys.map((k) => (
          <div key={k.id} className="key-card" data-testid="key-card">
            <div className="fingerprint" data-testid="fingerprint">
              {formatFingerprint(k.fingerprint)}
            </div>
            <div className="small muted">
              {k.algorithm} · {k.userIds.join(", ")} · created {formatDateTime(k.keyCreatedAt)} ·
              expires {k.expiresAt ? formatDateTime(k.expiresAt) : "never"}
              {k.removedAt && (
                <span className="chip bad" style={{ marginLeft: 8 }}>
                  removed {formatDateTime(k.removedAt)}
                </span>
              )}
              {k.revokedAt && (
                <span className="chip bad" style={{ marginLeft: 8 }} data-testid="key-revoked">
                  revoked {formatDateTime(k.revokedAt)}
                  {k.revocationReason ? ` (${k.revocationReason})` : ""}
                </span>
              )}
            </div>
            {k.revokedAt && (
              <p className="small muted">
                Signs nothing from its revocation on; what it signed before still counts.
              </p>
            )}
            {!userIdsClaimEmail(k.userIds, actor.email) && (
              <p className="notice warn small" data-testid="key-user-id-warning">
                {userIdMismatchWarning(actor.email)} Add the address to the key (
                <code>gpg --quick-add-uid</code>) and send the updated key below.
              </p>
            )}
            {!k.revokedAt && <UpdateKeyForm fingerprint={k.fingerprint} />}
            {!k.removedAt && (
              <ActionForm
                action={removeKeyAction}
                className="inline"
                submit="Remove"
                submitClass="danger small"
                confirm="Remove this key? It will no longer sign."
              >
                <input type="hidden" name="keyId" value={k.id} />
              </ActionForm>
            )}
          </div>
        ))}
      </section>

      <section className="panel" aria-labelledby="browser-keys-h">
        <h2 id="browser-keys-h">Private keys in this browser</h2>
        <p className="muted small">
          Kept encrypted in this browser&apos;s storage and never sent to the portal. The signing
          dialog offers the ones registered to you and asks only for the passphrase.
        </p>
        <BrowserKeys registered={registered} />
        <section className="import-panel" aria-labelledby="import-key-h">
          <h3 id="import-key-h">Import a private key</h3>
          <ImportKey registered={registered} />
        </section>
      </section>

      <div className="grid-2">
        <section className="panel">
          <h2>Paste a public key</h2>
          <PasteKeyForm />
        </section>
        <section className="panel">
          <h2>Generate a key in this browser</h2>
          <GenerateKey name={actor.name} email={actor.email} />
        </section>
      </div>

      <section className="panel" aria-labelledby="tokens-h">
        <h2 id="tokens-h">API tokens</h2>
        <p className="muted small">
          For scripts and the CLI: <code>Authorization: Bearer &lt;token&gt;</code> on{" "}
          <code>/api/v1/*</code>. A token is shown once. A <em>read</em> token may only look (GET
          and HEAD); a <em>sign</em> token acts as you. Changing your password revokes every token.
        </p>
        <CreateTokenForm />
        {tokens.length > 0 && (
          <div className="table-scroll">
            <table className="list">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Starts with</th>
                  <th>Scope</th>
                  <th>Created</th>
                  <th>Expires</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <td>{t.name}</td>
                    <td className="mono">{t.prefix}…</td>
                    <td data-testid="token-scope">{scopeOf(t.scope)}</td>
                    <td>{formatDateTime(t.createdAt)}</td>
                    <td>{t.expiresAt ? formatDateTime(t.expiresAt) : "never"}</td>
                    <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "—"}</td>
                    <td>
                      {t.revokedAt ? (
                        <span className="chip bad">revoked</span>
                      ) : t.expiresAt && t.expiresAt <= now ? (
                        <span className="chip bad">expired</span>
                      ) : (
                        <ActionForm
                          action={revokeTokenAction}
                          className="inline"
                          submit="Revoke"
                          submitClass="danger small"
                        >
                          <input type="hidden" name="tokenId" value={t.id} />
                        </ActionForm>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
