"use client";

import { useEffect, useState } from "react";
import {
  forgetPrivateKey,
  listPrivateKeys,
  KEY_STORE_CHANGED,
  type TStoredPrivateKey,
} from "@/lib/browser/key-store";
import { isRegistered } from "@/lib/browser/key-choice";
import { formatDateTime, formatFingerprint } from "@/lib/format";

/**
 * The private keys this browser holds. IndexedDB belongs to the browser, not
 * to the account, so a shared browser may hold someone else's key: it is shown
 * as not registered to you, and never offered in your signing dialog.
 */
export function BrowserKeys({ registered }: { registered: string[] }) {
  const [keys, setKeys] = useState<TStoredPrivateKey[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const load = () =>
      listPrivateKeys()
        .then(setKeys)
        .catch(() => {
          setKeys([]);
          setError("This browser does not let the portal read its key store (private window?).");
        });
    load();
    window.addEventListener(KEY_STORE_CHANGED, load);
    return () => window.removeEventListener(KEY_STORE_CHANGED, load);
  }, []);

  async function forget(k: TStoredPrivateKey) {
    const sure = window.confirm(
      `Forget ${formatFingerprint(k.fingerprint)} in this browser?\n\nIt stays registered to your account; to sign with it here again, import it from a backup.`,
    );
    if (!sure) return;
    try {
      await forgetPrivateKey(k.fingerprint);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (keys === null) return <p className="muted small">Reading this browser&apos;s key store…</p>;
  return (
    <div className="stack-col">
      {keys.length === 0 && (
        <p className="muted small" data-testid="no-browser-keys">
          This browser holds no private key yet: import one below or generate one, or sign with
          GnuPG.
        </p>
      )}
      {keys.map((k) => {
        const mine = isRegistered(k.fingerprint, registered);
        return (
          <div key={k.fingerprint} className="browser-key" data-testid="browser-key">
            <div className="browser-key-main">
              <div className="fingerprint" data-testid="browser-key-fingerprint">
                {formatFingerprint(k.fingerprint)}
              </div>
              <div className="small muted">
                {k.userId || "no user id"} · in this browser since {formatDateTime(k.createdAt)}
              </div>
              <div className="chips">
                <span className="chip">
                  {k.origin === "imported" ? "imported" : "generated here"}
                </span>
                <span className={mine ? "chip ok" : "chip warn"}>
                  {mine ? "registered to you" : "not one of your keys"}
                </span>
              </div>
            </div>
            <button
              type="button"
              className="danger small"
              onClick={() => forget(k)}
              aria-label={`Forget ${formatFingerprint(k.fingerprint)} in this browser`}
            >
              Forget in this browser
            </button>
          </div>
        );
      })}
      {error && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
