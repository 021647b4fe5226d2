"use client";

import { useEffect, useRef, useState } from "react";
import { registerKeyAction } from "@/lib/actions/profile";
import { PassphraseField } from "@/app/_components/passphrase-field";
import { listPrivateKeys, savePrivateKey, KEY_STORE_CHANGED } from "@/lib/browser/key-store";
import { isRegistered } from "@/lib/browser/key-choice";
import type { TImportableKey } from "@/lib/browser/import-key";
import { formatDate, formatFingerprint } from "@/lib/format";

type Input = { data: string | Uint8Array };
type Inspected = { ok: true; key: TImportableKey } | { ok: false; error: string };

// openpgp.js is large: the profile page loads it only once someone imports a key.
const importer = () => import("@/lib/browser/import-key");

/** Armored text stays text; anything else is the binary `gpg --export-secret-keys` writes. */
async function readKeyFile(file: File): Promise<Input> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder().decode(bytes.subarray(0, 512));
  const armored = text.includes("-----BEGIN PGP");
  return { data: armored ? new TextDecoder().decode(bytes) : bytes };
}

/**
 * Brings an existing private key into this browser's key store, next to the
 * generated ones. The file is read here and never uploaded; the passphrase is
 * checked here; the store keeps the key armored and encrypted. The only thing
 * that may reach the server is the public half, to register the key.
 */
export function ImportKey({ registered }: { registered: string[] }) {
  const [pasted, setPasted] = useState("");
  const [fileField, setFileField] = useState(0);
  const [inspected, setInspected] = useState<Inspected | null>(null);
  const [held, setHeld] = useState<string[]>([]);
  const [passphrase, setPassphrase] = useState("");
  const [newPassphrase, setNewPassphrase] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ fingerprint: string; encryptedHere: boolean } | null>(null);
  const latest = useRef(0);

  useEffect(() => {
    const load = () =>
      listPrivateKeys()
        .then((keys) => setHeld(keys.map((k) => k.fingerprint)))
        .catch(() => setHeld([]));
    load();
    window.addEventListener(KEY_STORE_CHANGED, load);
    return () => window.removeEventListener(KEY_STORE_CHANGED, load);
  }, []);

  // Every new input is read at once, so a wrong file is refused before any
  // passphrase is typed; a slower read of an older input is dropped.
  function choose(next: Input | null) {
    setDone(null);
    setError(null);
    setPassphrase("");
    setNewPassphrase("");
    setConfirm("");
    setInspected(null);
    const run = ++latest.current;
    if (!next) return;
    (async () => {
      const { readImportableKey } = await importer();
      let result: Inspected;
      try {
        result = { ok: true, key: await readImportableKey(next.data) };
      } catch (e) {
        result = { ok: false, error: (e as Error).message };
      }
      if (run === latest.current) setInspected(result);
    })();
  }

  async function onFile(file: File | undefined) {
    setPasted("");
    if (!file) return choose(null);
    const { MAX_KEY_FILE_BYTES } = await importer();
    if (file.size > MAX_KEY_FILE_BYTES) {
      choose(null);
      return setInspected({
        ok: false,
        error: "This file is larger than 64 KiB; export a single private key.",
      });
    }
    choose(await readKeyFile(file));
  }

  function onPaste(text: string) {
    setPasted(text);
    setFileField((n) => n + 1); // a fresh file field: one source at a time
    choose(text.trim() ? { data: text } : null);
  }

  const key = inspected?.ok ? inspected.key : null;
  const isNew = key ? !isRegistered(key.fingerprint, registered) : false;
  const alreadyHeld = key ? held.includes(key.fingerprint) : false;

  async function importIt() {
    if (!key) return;
    setError(null);
    setBusy(true);
    try {
      const { prepareImport } = await importer();
      // The passphrase is proved before anything is registered or stored.
      const prepared = await prepareImport(key, {
        passphrase,
        newPassphrase,
        confirmPassphrase: confirm,
      });
      if (isNew) {
        const form = new FormData();
        form.set("armored", prepared.armoredPublicKey);
        const result = await registerKeyAction(null, form);
        if (!result?.ok) throw new Error(result?.error ?? "The server did not answer.");
      }
      await savePrivateKey({
        fingerprint: prepared.fingerprint,
        armoredPrivateKey: prepared.armoredPrivateKey,
        userId: prepared.userId,
        createdAt: new Date().toISOString(),
        origin: "imported",
      });
      setDone({ fingerprint: prepared.fingerprint, encryptedHere: prepared.encryptedHere });
      latest.current++;
      setInspected(null);
      setPasted("");
      setFileField((n) => n + 1);
      setPassphrase("");
      setNewPassphrase("");
      setConfirm("");
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack-col import-key">
      <p className="muted small">
        A key you already use elsewhere, exported with{" "}
        <code>gpg --armor --export-secret-keys &lt;fingerprint&gt;</code>. It is read in this
        browser and never uploaded; the copy kept here stays encrypted, and each signature asks for
        its passphrase.
      </p>
      <div className="import-sources">
        <label>
          Private key file
          <input
            key={fileField}
            type="file"
            accept=".asc,.key,.gpg,.pgp,.txt,application/pgp-keys"
            onChange={(e) => onFile(e.target.files?.[0])}
          />
        </label>
        <span className="or muted small">or</span>
        <label>
          Paste the armored private key
          <textarea
            value={pasted}
            onChange={(e) => onPaste(e.target.value)}
            placeholder="-----BEGIN PGP PRIVATE KEY BLOCK-----"
            spellCheck={false}
            autoComplete="off"
          />
        </label>
      </div>

      {inspected && !inspected.ok && (
        <div className="notice error" role="alert">
          {inspected.error}
        </div>
      )}

      {key && (
        <div className="import-found" data-testid="import-found">
          <div className="fingerprint">{formatFingerprint(key.fingerprint)}</div>
          <div className="small muted">
            {key.userId || "no user id"}
            {key.expiresAt && <> · expires {formatDate(key.expiresAt)}</>}
          </div>
          <div className="chips">
            <span className={key.protected ? "chip ok" : "chip warn"}>
              {key.protected ? "protected by a passphrase" : "no passphrase"}
            </span>
            <span className={isNew ? "chip warn" : "chip ok"}>
              {isNew ? "not registered to you yet" : "registered to you"}
            </span>
          </div>
        </div>
      )}

      {key && alreadyHeld && (
        <p className="notice ok" role="status">
          This browser already holds this key. To import it again, forget it above first.
        </p>
      )}

      {key && !alreadyHeld && (
        <>
          {key.protected ? (
            <PassphraseField
              label="Passphrase of this key (stays in this browser)"
              value={passphrase}
              onChange={setPassphrase}
            />
          ) : (
            <>
              <div className="notice warn">
                This key has no passphrase. Choose one for the copy kept in this browser. The file
                you chose is left as it is: protect it with <code>gpg --passwd</code> or delete it.
              </div>
              <PassphraseField
                label="New passphrase for this browser's copy"
                value={newPassphrase}
                onChange={setNewPassphrase}
                fresh
              />
              <PassphraseField
                label="Repeat the new passphrase"
                value={confirm}
                onChange={setConfirm}
                fresh
              />
            </>
          )}
          {isNew && (
            <p className="small muted">
              This key is not one of your registered keys. Importing it registers its public half
              with the portal; the private half stays in this browser.
            </p>
          )}
          <span>
            <button type="button" onClick={importIt} disabled={busy}>
              {busy
                ? "Checking…"
                : isNew
                  ? "Register its public key and import"
                  : "Import into this browser"}
            </button>
          </span>
        </>
      )}

      {error && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      {done && (
        <div className="notice ok" role="status">
          Imported {formatFingerprint(done.fingerprint)}.{" "}
          {done.encryptedHere
            ? "This browser's copy is encrypted with your new passphrase."
            : "This browser's copy stays encrypted with the key's own passphrase."}{" "}
          Pick it in any signing dialog in this browser.
        </div>
      )}
    </div>
  );
}
