"use client";

import { useState } from "react";
import { registerKeyAction } from "@/lib/actions/profile";
import { PassphraseField } from "@/app/_components/passphrase-field";
import { savePrivateKey } from "@/lib/browser/key-store";
import { newPassphraseProblem } from "@/lib/browser/passphrase";
import { formatFingerprint } from "@/lib/format";

type Generated = { fingerprint: string; privateKeyUrl: string; fileName: string };

/**
 * Generates an ECC key (curve25519 legacy, v4: verifiable by GnuPG 2.2) in the
 * browser. The private key is encrypted with the passphrase, kept in IndexedDB
 * and offered as a download; only the public key is sent to the server.
 */
export function GenerateKey({ name, email }: { name: string; email: string }) {
  const [passphrase, setPassphrase] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Generated | null>(null);

  async function generate() {
    setError(null);
    const problem = newPassphraseProblem(passphrase, confirm);
    if (problem) return setError(problem.message);
    setBusy(true);
    try {
      // openpgp.js is large: load it only when someone generates a key.
      const openpgp = await import("openpgp");
      const { privateKey, publicKey } = await openpgp.generateKey({
        type: "ecc",
        curve: "curve25519Legacy",
        userIDs: [{ name, email }],
        passphrase,
        format: "armored",
      });
      const fingerprint = (await openpgp.readKey({ armoredKey: publicKey }))
        .getFingerprint()
        .toUpperCase();
      await savePrivateKey({
        fingerprint,
        armoredPrivateKey: privateKey,
        userId: `${name} <${email}>`,
        createdAt: new Date().toISOString(),
        origin: "generated",
      });
      const form = new FormData();
      form.set("armored", publicKey);
      const result = await registerKeyAction(null, form);
      if (!result?.ok) throw new Error(result?.error ?? "The server did not answer.");
      const privateKeyUrl = URL.createObjectURL(
        new Blob([privateKey], { type: "application/pgp-keys" }),
      );
      setDone({
        fingerprint,
        privateKeyUrl,
        fileName: `patchgate-${fingerprint.slice(-16)}.secret.asc`,
      });
      setPassphrase("");
      setConfirm("");
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <div role="status">
        <div className="notice ok">
          Key generated and registered. Its private half stays in this browser, encrypted with your
          passphrase.
        </div>
        <p className="fingerprint">{formatFingerprint(done.fingerprint)}</p>
        <a className="button secondary" href={done.privateKeyUrl} download={done.fileName}>
          Download the private key (back it up)
        </a>
      </div>
    );
  }

  return (
    <div className="stack" style={{ display: "flex", flexDirection: "column", gap: "0.75rem" }}>
      <p className="muted small">
        For {name} &lt;{email}&gt;. Nobody, not even the portal, can recover a lost passphrase.
      </p>
      <PassphraseField label="Passphrase" value={passphrase} onChange={setPassphrase} fresh />
      <PassphraseField label="Passphrase again" value={confirm} onChange={setConfirm} fresh />
      <span>
        <button type="button" onClick={generate} disabled={busy}>
          {busy ? "Generating…" : "Generate key"}
        </button>
      </span>
      {error && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
