"use client";

import { useEffect, useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { issueEmergencyStatementAction, recordEmergencyStatementAction } from "@/lib/actions/emergencies";
import { loadPrivateKey, storedFingerprints } from "@/lib/browser/key-store";
import type { TEmergencyStatementKind } from "@/lib/domain/emergency-statements";

type TOption = { value: string; label: string };
export type TSignProps = {
  emergencyId: string;
  kind: TEmergencyStatementKind;
  label: string;
  fixed?: { gate?: string; team?: string; as?: string; disputeId?: string };
  commentLabel?: string;
  verdicts?: string[];
  teams?: TOption[];
  grantees?: TOption[];
  attachDiff?: boolean;
  attachLog?: boolean;
  secondary?: boolean;
};

const spaced = (fpr: string) => fpr.replace(/(.{4})/g, "$1 ").trim();

/**
 * Signing an emergency step or a ruling: the server writes the statement (with
 * a single-use nonce and the reason as its comment), the person signs those
 * exact bytes in this browser (lib/browser/sign.ts) or with GnuPG, and only
 * the detached signature goes back. Keys and passphrases stay here.
 */
export function EmergencySignDialog(props: TSignProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={props.secondary ? "secondary sign-button" : "sign-button"} onClick={() => setOpen(true)}>
        {props.label}
      </button>
      {open && <Panel {...props} onClose={() => setOpen(false)} />}
    </>
  );
}

function Panel({ emergencyId, kind, label, fixed, commentLabel, verdicts, teams, grantees, attachDiff, attachLog, onClose }: TSignProps & { onClose: () => void }) {
  const router = useRouter();
  const [comment, setComment] = useState("");
  const [verdict, setVerdict] = useState(verdicts?.[0] ?? "");
  const [team, setTeam] = useState(teams?.[0]?.value ?? "");
  const [grantee, setGrantee] = useState(grantees?.[0]?.value ?? "");
  const [diff, setDiff] = useState<string | undefined>();
  const [log, setLog] = useState("");
  const [statement, setStatement] = useState<{ text: string; keyFingerprint: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && !busy && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [busy, onClose]);

  async function getStatement(keyFingerprint?: string) {
    setError(null);
    setBusy(true);
    const r = await issueEmergencyStatementAction({
      emergencyId,
      kind,
      comment,
      ...fixed,
      team: teams ? team : fixed?.team,
      granteeId: grantees ? grantee : undefined,
      verdict: verdicts ? (verdict as "justified") : undefined,
      diff: attachDiff ? diff : undefined,
      log: attachLog ? log : undefined,
      keyFingerprint,
    } as Parameters<typeof issueEmergencyStatementAction>[0]);
    setBusy(false);
    if (!r?.ok) return setError(r?.error ?? "The server did not answer.");
    setStatement({ text: r.data!.statement, keyFingerprint: r.data!.keyFingerprint });
  }

  async function submit(signature: string) {
    if (!statement) return;
    setError(null);
    setBusy(true);
    const r = await recordEmergencyStatementAction({ statement: statement.text, signature, diff: attachDiff ? diff : undefined, log: attachLog ? log : undefined });
    setBusy(false);
    if (!r?.ok) return setError(r?.error ?? "The server did not answer.");
    setDone(true);
    router.refresh();
  }

  return (
    <div className="sign-backdrop" onClick={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div className="sign-dialog" role="dialog" aria-modal="true" aria-labelledby="em-sign-title">
        <header>
          <h2 id="em-sign-title">{label}</h2>
          <button type="button" className="secondary small" onClick={onClose} disabled={busy} aria-label="Close">
            ✕
          </button>
        </header>
        {done ? (
          <div className="stack-col">
            <div className="notice ok" role="status">
              Signed and recorded. The server verified your signature over the statement.
            </div>
            <span>
              <button type="button" onClick={onClose}>
                Close
              </button>
            </span>
          </div>
        ) : !statement ? (
          <div className="stack-col">
            {verdicts && (
              <fieldset className="verdicts">
                <legend>Verdict</legend>
                {verdicts.map((v) => (
                  <label key={v} className={`verdict-option ${verdict === v ? "picked" : ""}`}>
                    <input type="radio" name="verdict" value={v} checked={verdict === v} onChange={() => setVerdict(v)} />
                    {v}
                  </label>
                ))}
              </fieldset>
            )}
            {teams && (
              <label>
                Team
                <select value={team} onChange={(e) => setTeam(e.target.value)}>
                  {teams.map((t) => (
                    <option key={t.value} value={t.value}>
                      {t.label}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {grantees && (
              <label>
                Who gets the one-time access
                <select value={grantee} onChange={(e) => setGrantee(e.target.value)}>
                  {grantees.map((t) => (
                    <option key={t.value} value={t.value}>
                      {t.label}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {attachDiff && (
              <label>
                Locally tested patch (unified diff)
                <input type="file" accept=".diff,.patch,.txt" onChange={async (e) => setDiff((await e.target.files?.[0]?.text()) ?? undefined)} />
              </label>
            )}
            {attachLog && (
              <label>
                Session log
                <textarea value={log} onChange={(e) => setLog(e.target.value)} className="prose" placeholder="Paste the console log of the session." />
              </label>
            )}
            <label>
              {commentLabel ?? "Reason (part of the signed text)"}
              <textarea value={comment} onChange={(e) => setComment(e.target.value)} maxLength={4000} className="prose" />
            </label>
            <span>
              <button type="button" onClick={() => getStatement()} disabled={busy}>
                {busy ? "Asking the server…" : "Get statement"}
              </button>
            </span>
          </div>
        ) : (
          <div className="stack-col">
            <p className="small muted">
              You sign exactly this text, byte for byte. It names your key <span className="mono">{spaced(statement.keyFingerprint)}</span> and a single-use nonce.
            </p>
            <pre className="statement" data-testid="statement">
              {statement.text}
            </pre>
            <BrowserSigning statement={statement} busy={busy} onSigned={submit} onError={setError} onOtherKey={(f) => getStatement(f)} />
            <details>
              <summary>Sign with GnuPG instead</summary>
              <GpgSigning statement={statement.text} busy={busy} onSigned={submit} />
            </details>
          </div>
        )}
        {error && (
          <div className="notice error" role="alert">
            {error}
          </div>
        )}
      </div>
    </div>
  );
}

function BrowserSigning({ statement, busy, onSigned, onError, onOtherKey }: { statement: { text: string; keyFingerprint: string }; busy: boolean; onSigned: (s: string) => Promise<void>; onError: (e: string | null) => void; onOtherKey: (fpr: string) => void }) {
  const [stored, setStored] = useState<string[]>([]);
  const [source, setSource] = useState("file");
  const [fileKey, setFileKey] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState("");
  const [signing, setSigning] = useState(false);

  useEffect(() => {
    storedFingerprints()
      .then((f) => {
        setStored(f);
        if (f.length) setSource(f.includes(statement.keyFingerprint) ? statement.keyFingerprint : f[0]);
      })
      .catch(() => setStored([]));
  }, [statement.keyFingerprint]);

  async function sign() {
    onError(null);
    setSigning(true);
    try {
      const { describePrivateKey, signStatement } = await import("@/lib/browser/sign");
      const armored = source === "file" ? fileKey : (await loadPrivateKey(source))?.armoredPrivateKey;
      if (!armored) throw new Error(source === "file" ? "Choose your private key file." : "This key is no longer in this browser.");
      const key = await describePrivateKey(armored);
      if (key.fingerprint !== statement.keyFingerprint) {
        onError(`The statement names key ${spaced(statement.keyFingerprint)}, but you chose ${spaced(key.fingerprint)}. A new statement for the chosen key is on its way.`);
        onOtherKey(key.fingerprint);
        return;
      }
      const signature = await signStatement({ armoredPrivateKey: armored, passphrase, statement: statement.text });
      setPassphrase("");
      await onSigned(signature);
    } catch (e) {
      onError((e as Error).message);
    } finally {
      setSigning(false);
    }
  }

  return (
    <div className="stack-col">
      <label>
        Private key
        <select value={source} onChange={(e) => setSource(e.target.value)}>
          {stored.map((f) => (
            <option key={f} value={f}>
              Stored in this browser: {spaced(f)}
            </option>
          ))}
          <option value="file">A key file…</option>
        </select>
      </label>
      {source === "file" && (
        <label>
          Private key file (armored)
          <input type="file" accept=".asc,.key,.txt,application/pgp-keys" onChange={async (e) => setFileKey((await e.target.files?.[0]?.text()) ?? null)} />
        </label>
      )}
      <label>
        Passphrase (stays in this browser)
        <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="off" />
      </label>
      <span>
        <button type="button" onClick={sign} disabled={busy || signing || (source === "file" && !fileKey)}>
          {signing || busy ? "Signing…" : "Sign and submit"}
        </button>
      </span>
    </div>
  );
}

function GpgSigning({ statement, busy, onSigned }: { statement: string; busy: boolean; onSigned: (s: string) => Promise<void> }) {
  const [signature, setSignature] = useState("");
  // The exact statement bytes as a file: what gpg signs must be what the server issued.
  const href = useMemo(() => URL.createObjectURL(new Blob([statement], { type: "text/plain;charset=utf-8" })), [statement]);
  useEffect(() => () => URL.revokeObjectURL(href), [href]);
  return (
    <div className="stack-col">
      <ol className="gpg-steps">
        <li>
          <a className="button secondary" href={href} download="statement.txt">
            Download statement.txt
          </a>
        </li>
        <li>
          Sign it: <code>gpg --armor --detach-sign statement.txt</code>
        </li>
        <li>
          <label>
            Paste statement.txt.asc
            <textarea value={signature} onChange={(e) => setSignature(e.target.value)} placeholder="-----BEGIN PGP SIGNATURE-----" />
          </label>
        </li>
      </ol>
      <span>
        <button type="button" onClick={() => onSigned(signature)} disabled={busy || !signature.trim()}>
          {busy ? "Checking…" : "Submit signature"}
        </button>
      </span>
    </div>
  );
}
