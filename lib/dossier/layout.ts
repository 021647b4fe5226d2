import { sha256Hex } from "../crypto/hash";
import { sha256sumLine } from "../domain/procedures";

// Where each thing lives inside a dossier (X1). Shared by the server
// that writes dossiers and the offline verifier that reads them, so the two
// can never disagree about a name.

export const DOSSIER_FORMAT = "patchgate-evidence v1";

export const MANIFEST = "manifest.json";
/** The portal's ASCII-armored detached signature over the exact bytes of manifest.json. */
export const MANIFEST_SIGNATURE = "manifest.json.asc";
/** The portal's public key, for a reader who trusts its fingerprint (never on its own word). */
export const PORTAL_KEY = "portal-key.asc";
/** `sha256sum -c` input: the same files as the manifest's list, which names its SHA-256 in turn. */
export const CHECKSUMS = "SHA256SUMS";
export const VERIFY_MD = "VERIFY.md";
export const EVENTS = "audit/events.jsonl";
/** `<seq> <hash>` of every other chain event from the patch's first event to the head. */
export const LINKS = "audit/links.txt";
export const DEPLOYMENT = "deployment.json";

/** The files no other file's hash covers: the manifest lists all but these two. */
export const SELF_DESCRIBING = [MANIFEST, MANIFEST_SIGNATURE] as const;

export function dossierRoot(patchNumber: number): string {
  return `patch-${patchNumber}`;
}

export function dossierFileName(patchNumber: number): string {
  return `patch-${patchNumber}-evidence.tar.gz`;
}

export function revisionFile(revision: number): string {
  return `revisions/r${revision}.diff`;
}

/** `NN-review-approve-r2.txt`; a step statement names its step: `NN-step5-failed-r2.txt`. */
export function statementFile(
  seq: number,
  kind: string,
  verdict: string,
  revision: number,
  step?: number,
): string {
  const what = step === undefined ? kind : `${kind}${step}`;
  return `statements/${String(seq).padStart(2, "0")}-${what}-${verdict}-r${revision}.txt`;
}

/**
 * E3: option 1's statements, signed on the emergency, in a patch's dossier:
 * `emergency/NN-option1-patch.txt`, `emergency/NN-gate-review-1.txt`, `emergency/NN-gate-test-pass.txt`.
 */
export function fastPathStatementFile(
  seq: number,
  kind: string,
  gate?: string,
  verdict?: string,
): string {
  const what = [kind, gate, verdict].filter(Boolean).join("-");
  return `emergency/${String(seq).padStart(2, "0")}-${what}.txt`;
}

export function signatureFile(statement: string): string {
  return `${statement}.asc`;
}

/** P7: the deployment notification's MIME part as the critical admin signed it; its signature is `.asc` beside it. */
export function notificationFile(deploymentId: string): string {
  return `notifications/${deploymentId}.part`;
}

export function keyFile(fingerprint: string): string {
  return `keys/${fingerprint}.asc`;
}

/** Two spaces between hash and name: the format `sha256sum -c` reads. */
export function checksumsText(files: ReadonlyMap<string, Uint8Array>): string {
  return [...files.keys()]
    .filter((name) => name !== CHECKSUMS && !(SELF_DESCRIBING as readonly string[]).includes(name))
    .sort()
    .map((name) => `${sha256sumLine(sha256Hex(files.get(name)!), name)}\n`)
    .join("");
}
