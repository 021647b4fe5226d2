"use client";

import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { createPortal } from "react-dom";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { TActionResult } from "@/lib/actions/action-result";
import { ownKeyFingerprintsAction } from "@/lib/actions/profile";
import { listPrivateKeys, loadPrivateKey, type TStoredPrivateKey } from "@/lib/browser/key-store";
import { fittingKeys, keyToRequest, preselectedKey } from "@/lib/browser/key-choice";
import { formatDate, formatFingerprint } from "@/lib/format";
import { PassphraseField } from "@/app/_components/passphrase-field";
import { useShownDiffRefusal } from "./shown-diff";

export type TIssued = { statement: string; keyFingerprint: string };

export type TStatementSignerProps = {
  label: string;
  buttonClass?: string;
  /** The inputs asked before the statement is issued (verdict, comment, ...). */
  form: React.ReactNode;
  /** Asks the server for the statement; with a fingerprint, for that key. */
  issue: (keyFingerprint?: string) => Promise<TActionResult<TIssued>>;
  /** Hands the detached signature over the issued statement to the server. */
  record: (statement: string, signature: string) => Promise<TActionResult<unknown>>;
  /** What the text to sign is, when it is not a statement (e.g. a mail's MIME part). */
  intro?: React.ReactNode;
  /** The file name gpg signs in the GnuPG tab (default statement.txt). */
  fileName?: string;
};

type Tab = "browser" | "gpg";
type TKeys = { stored: TStoredPrivateKey[]; registered: string[] };

const GPG_COMMAND = "gpg --armor --detach-sign statement.txt";

/**
 * Every signature in Patchgate goes through this dialog: the server writes the
 * statement (with a single-use nonce), the person signs exactly those bytes in
 * this browser or with GnuPG, and only the detached signature goes back.
 * Private keys and passphrases never leave the browser.
 */
export function StatementSigner(props: TStatementSignerProps) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={opener}
        type="button"
        className={props.buttonClass ?? "sign-button"}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        {props.label}
      </button>
      {open && (
        <SignPanel
          {...props}
          onClose={() => {
            setOpen(false);
            // The dialog is closed already (the page is no longer inert): back to the opener.
            opener.current?.focus();
          }}
        />
      )}
    </>
  );
}

// What Tab can reach inside the dialog (visible ones only; see tabbables()).
const TABBABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function tabbables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (el) =>
      el.getClientRects().length > 0 &&
      // Of a radio group only the checked radio (or the first, if none is) is a Tab stop.
      !(
        el instanceof HTMLInputElement &&
        el.type === "radio" &&
        !el.checked &&
        root.querySelector(`input[type="radio"][name="${CSS.escape(el.name)}"]:checked`)
      ),
  );
}

function SignPanel({
  label,
  form,
  issue,
  record,
  intro,
  fileName,
  onClose,
}: TStatementSignerProps & { onClose: () => void }) {
  const router = useRouter();
  const [statement, setStatement] = useState<TIssued | null>(null);
  const [tab, setTab] = useState<Tab>("browser");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [mismatch, setMismatch] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const shownDiffRefusal = useShownDiffRefusal();
  const titleId = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const statementRef = useRef<HTMLPreElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  // Where the signing tabs put their action button: the footer, always in view.
  const [slot, setSlot] = useState<HTMLDivElement | null>(null);
  const [keys, setKeys] = useState<TKeys>({ stored: [], registered: [] });
  // This browser's keys and the person's registered fingerprints, read once per
  // dialog; the first statement waits for them so it can name the right key.
  const keysLoaded = useRef<Promise<TKeys> | null>(null);
  useEffect(() => {
    let live = true;
    keysLoaded.current = Promise.all([
      listPrivateKeys().catch(() => []),
      ownKeyFingerprintsAction().catch(() => null),
    ]).then(([stored, own]) => ({ stored, registered: own?.ok ? (own.data ?? []) : [] }));
    keysLoaded.current.then((k) => live && setKeys(k));
    return () => {
      live = false;
    };
  }, []);

  // The page refreshes only when the dialog closes: the refreshed page may no
  // longer hold the button this dialog belongs to.
  const close = useCallback(() => {
    if (busy) return;
    dialog.current?.close();
    onClose();
    if (done) router.refresh();
  }, [busy, done, onClose, router]);

  // A modal: the rest of the page is inert while it is open. Focus goes to the
  // first control of its body (the first thing to fill in), not to the close button.
  useEffect(() => {
    const d = dialog.current!;
    if (!d.open) d.showModal();
    (body.current && tabbables(body.current)[0])?.focus();
    return () => d.close();
  }, []);

  // Each new stage takes the focus: the statement to read, then the Close button.
  const hadStatement = useRef(false);
  useEffect(() => {
    if (statement && !hadStatement.current) statementRef.current?.focus();
    hadStatement.current = statement !== null;
  }, [statement]);
  useEffect(() => {
    if (done) closeButton.current?.focus();
  }, [done]);

  // Tab from the last control comes back to the first, Shift+Tab from the first to the last.
  function trapTab(e: React.KeyboardEvent<HTMLDialogElement>) {
    if (e.key !== "Tab") return;
    const all = tabbables(e.currentTarget);
    if (all.length === 0) return;
    const first = all[0];
    const last = all[all.length - 1];
    const at = document.activeElement;
    if (
      e.shiftKey &&
      (at === first || at === e.currentTarget || !all.includes(at as HTMLElement))
    ) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (at === last || !all.includes(at as HTMLElement))) {
      e.preventDefault();
      first.focus();
    }
  }

  async function getStatement(keyFingerprint?: string) {
    setError(null);
    setMismatch(null);
    setBusy(true);
    if (!keyFingerprint && keysLoaded.current) {
      const { stored, registered } = await keysLoaded.current;
      keyFingerprint = keyToRequest(fittingKeys(stored, registered));
    }
    const r = await issue(keyFingerprint);
    setBusy(false);
    if (!r?.ok) return setError(r?.error ?? "The server did not answer.");
    const refusal = shownDiffRefusal(r.data!.statement);
    if (refusal) return setError(refusal);
    setStatement(r.data!);
  }

  async function submit(signature: string) {
    if (!statement) return;
    setError(null);
    setBusy(true);
    const r = await record(statement.statement, signature);
    setBusy(false);
    if (!r?.ok) return setError(r?.error ?? "The server did not answer.");
    setDone(true);
  }

  return (
    <dialog
      ref={dialog}
      className="sign-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        // Escape: closed by close() (which refuses while the server is asked).
        e.preventDefault();
        close();
      }}
      onKeyDown={trapTab}
      // A click on the backdrop lands on the <dialog> itself; its frame fills the box.
      onClick={(e) => e.target === e.currentTarget && close()}
    >
      <div className="sign-frame">
        <header>
          <h2 id={titleId}>{label}</h2>
          <button
            type="button"
            className="secondary small"
            onClick={close}
            disabled={busy}
            aria-label="Close"
          >
            ✕
          </button>
        </header>

        <div className="sign-body" ref={body}>
          {done ? (
            <div className="notice ok" role="status">
              Signed and recorded. The server verified your signature over the statement.
            </div>
          ) : !statement ? (
            <div className="stack-col">{form}</div>
          ) : (
            <div className="stack-col">
              {intro ?? (
                <p className="small muted">
                  You sign exactly this text, byte for byte. It names your key{" "}
                  <span className="mono">{formatFingerprint(statement.keyFingerprint)}</span> and a
                  single-use nonce.
                </p>
              )}
              {/* Focusable: a long statement scrolls, and keyboard users must reach all of it. */}
              <pre
                className="statement"
                data-testid="statement"
                tabIndex={0}
                ref={statementRef}
                aria-label="The text you sign"
              >
                {statement.statement}
              </pre>
              <div className="tabs" role="tablist">
                <button
                  type="button"
                  role="tab"
                  aria-selected={tab === "browser"}
                  className={tab === "browser" ? "tab on" : "tab"}
                  onClick={() => setTab("browser")}
                >
                  Sign in this browser
                </button>
                <button
                  type="button"
                  role="tab"
                  aria-selected={tab === "gpg"}
                  className={tab === "gpg" ? "tab on" : "tab"}
                  onClick={() => setTab("gpg")}
                >
                  Sign with GnuPG
                </button>
              </div>
              {tab === "browser" ? (
                <BrowserSigning
                  statement={statement}
                  fitting={fittingKeys(keys.stored, keys.registered, statement.keyFingerprint)}
                  onChooseKey={getStatement}
                  busy={busy}
                  onSigned={submit}
                  onError={setError}
                  onMismatch={setMismatch}
                  slot={slot}
                />
              ) : (
                <GpgSigning
                  fileName={fileName ?? "statement.txt"}
                  statement={statement.statement}
                  fingerprint={statement.keyFingerprint}
                  busy={busy}
                  onSigned={submit}
                  slot={slot}
                />
              )}
            </div>
          )}
        </div>

        {/* The footer stays in view however long the statement: what went wrong, and the action. */}
        <div className="sign-footer">
          {mismatch && statement && !done && (
            <div className="notice warn" role="alert">
              The statement names key {formatFingerprint(statement.keyFingerprint)}, but you chose
              key {formatFingerprint(mismatch)}.{" "}
              <button
                type="button"
                className="secondary small"
                onClick={() => getStatement(mismatch)}
                disabled={busy}
              >
                Get a statement for the chosen key
              </button>
            </div>
          )}
          {error && (
            <div className="notice error" role="alert">
              {error}
            </div>
          )}
          <div className="sign-buttons">
            {done ? (
              <button type="button" onClick={close} ref={closeButton}>
                Close
              </button>
            ) : !statement ? (
              <button type="button" onClick={() => getStatement()} disabled={busy}>
                {busy ? "Asking the server…" : "Get statement"}
              </button>
            ) : null}
            <div className="sign-slot" ref={setSlot} />
          </div>
        </div>
      </div>
    </dialog>
  );
}

function BrowserSigning({
  statement,
  fitting,
  onChooseKey,
  busy,
  onSigned,
  onError,
  onMismatch,
  slot,
}: {
  statement: TIssued;
  /** Stored keys registered to this person (or named by the statement), oldest first. */
  fitting: TStoredPrivateKey[];
  /** Asks for a statement that names this key instead. */
  onChooseKey: (fingerprint: string) => Promise<void>;
  busy: boolean;
  onSigned: (signature: string) => Promise<void>;
  onError: (e: string | null) => void;
  onMismatch: (fpr: string | null) => void;
  /** The dialog's footer, where the sign button goes. */
  slot: HTMLElement | null;
}) {
  // "" = several fit and none is named: the person picks; "file" = a key file.
  const [source, setSource] = useState<string>(
    () => preselectedKey(fitting, statement.keyFingerprint) ?? (fitting.length ? "" : "file"),
  );
  const [fileKey, setFileKey] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState("");
  const [signing, setSigning] = useState(false);

  function choose(value: string) {
    onError(null);
    onMismatch(null);
    setSource(value);
    // The statement names the key that must sign it: choosing another key asks for its own text.
    if (value !== "file" && value !== statement.keyFingerprint) void onChooseKey(value);
  }

  async function sign() {
    onError(null);
    onMismatch(null);
    setSigning(true);
    try {
      const { describePrivateKey, signStatement } = await import("@/lib/browser/sign");
      const armored =
        source === "file" ? fileKey : (await loadPrivateKey(source))?.armoredPrivateKey;
      if (!armored)
        throw new Error(
          source === "file"
            ? "Choose your private key file."
            : "This key is no longer in this browser.",
        );
      const key = await describePrivateKey(armored);
      if (key.fingerprint !== statement.keyFingerprint) {
        onMismatch(key.fingerprint);
        return;
      }
      const signature = await signStatement({
        armoredPrivateKey: armored,
        passphrase,
        statement: statement.statement,
      });
      setPassphrase("");
      await onSigned(signature);
    } catch (e) {
      onError((e as Error).message);
    } finally {
      setSigning(false);
    }
  }

  return (
    <div className="stack-col" role="tabpanel">
      {fitting.length > 0 ? (
        <fieldset className="key-choice">
          <legend>Key</legend>
          {fitting.map((k) => (
            <label
              key={k.fingerprint}
              className={`key-option ${source === k.fingerprint ? "picked" : ""}`}
            >
              <input
                type="radio"
                name="signing-key"
                value={k.fingerprint}
                checked={source === k.fingerprint}
                onChange={() => choose(k.fingerprint)}
              />
              <span className="key-option-text">
                <span className="fingerprint">{formatFingerprint(k.fingerprint)}</span>
                <span className="small muted">
                  {k.userId || "no user id"} · in this browser since {formatDate(k.createdAt)}
                </span>
              </span>
            </label>
          ))}
          <label className={`key-option ${source === "file" ? "picked" : ""}`}>
            <input
              type="radio"
              name="signing-key"
              value="file"
              checked={source === "file"}
              onChange={() => choose("file")}
            />
            <span className="key-option-text">
              <span>A key file…</span>
              <span className="small muted">read in this browser, never uploaded</span>
            </span>
          </label>
        </fieldset>
      ) : (
        <p className="small muted">
          Sign with a key file, or <Link href="/profile">import your key once</Link> in your profile
          and pick it here next time.
        </p>
      )}
      {source === "file" && (
        <label>
          Private key file (armored)
          <input
            type="file"
            accept=".asc,.key,.txt,application/pgp-keys"
            onChange={async (e) => setFileKey((await e.target.files?.[0]?.text()) ?? null)}
          />
        </label>
      )}
      <PassphraseField
        label="Passphrase (stays in this browser)"
        value={passphrase}
        onChange={setPassphrase}
      />
      {slot &&
        createPortal(
          <button
            type="button"
            onClick={sign}
            disabled={busy || signing || !source || (source === "file" && !fileKey)}
          >
            {signing ? "Signing…" : busy ? "Working…" : "Sign and submit"}
          </button>,
          slot,
        )}
    </div>
  );
}

function GpgSigning({
  fileName,
  statement,
  fingerprint,
  busy,
  onSigned,
  slot,
}: {
  fileName: string;
  statement: string;
  fingerprint: string;
  busy: boolean;
  onSigned: (signature: string) => Promise<void>;
  slot: HTMLElement | null;
}) {
  const [signature, setSignature] = useState("");
  // The exact statement bytes as a file: what gpg signs must be what the server issued.
  const href = useMemo(
    () => URL.createObjectURL(new Blob([statement], { type: "text/plain;charset=utf-8" })),
    [statement],
  );
  useEffect(() => () => URL.revokeObjectURL(href), [href]);
  return (
    <div className="stack-col" role="tabpanel">
      <ol className="gpg-steps">
        <li>
          <a className="button secondary" href={href} download={fileName}>
            Download {fileName}
          </a>
        </li>
        <li>
          Sign it with your key:
          <pre className="command" data-testid="gpg-command">
            {GPG_COMMAND.replace("statement.txt", fileName)}
          </pre>
          <div className="small muted gpg-hint">
            With several secret keys, add <code>--local-user {fingerprint}</code> before the file
            name.
          </div>
        </li>
        <li>
          <label>
            Paste the content of {fileName}.asc
            <textarea
              value={signature}
              onChange={(e) => setSignature(e.target.value)}
              placeholder="-----BEGIN PGP SIGNATURE-----"
            />
          </label>
        </li>
      </ol>
      {slot &&
        createPortal(
          <button
            type="button"
            onClick={() => onSigned(signature)}
            disabled={busy || !signature.trim()}
          >
            {busy ? "Checking…" : "Submit signature"}
          </button>,
          slot,
        )}
    </div>
  );
}

/** The verdict radio group both dialogs ask first. */
export function VerdictPicker({
  verdicts,
  value,
  onChange,
}: {
  verdicts: string[];
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <fieldset className="verdicts">
      <legend>Verdict</legend>
      {verdicts.map((v) => (
        <label key={v} className={`verdict-option ${v} ${value === v ? "picked" : ""}`}>
          <input
            type="radio"
            name="verdict"
            value={v}
            checked={value === v}
            onChange={() => onChange(v)}
          />
          {v}
        </label>
      ))}
    </fieldset>
  );
}
