import * as openpgp from "openpgp";
import { isAppError } from "../errors";
import { verifyDetachedSignature } from "../crypto/verify-signature";
import { MANIFEST, MANIFEST_SIGNATURE, PORTAL_KEY } from "./layout";
import { utf8Text, type CheckLog } from "./check-log";

// Issue #11: the portal vouches for manifest.json (every key's account and roles,
// the audit head, every file's SHA-256) with a detached signature by the key it
// serves at GET /api/portal-key. A dossier proves nothing about itself: the
// verifier needs that key, or its fingerprint, from outside the dossier.

/** Where the reader's trust comes from: never from the dossier itself. */
export type TTrustAnchor =
  | { portalKey: string }
  | { portalFingerprint: string }
  /** Tests and tools that only look at the other checks: nothing is proven. */
  | null;

export const NO_ANCHOR_MESSAGE =
  "no trust anchor: nothing in this dossier is proven without one, since anyone can make a dossier that passes every other check with keys of their own. Pass --portal-key FILE (the key from GET /api/portal-key) or --portal-fingerprint FPR";

/** Signs the exact bytes of manifest.json and adds manifest.json.asc. */
export async function sealDossier(
  files: ReadonlyMap<string, Uint8Array>,
  signingKey: openpgp.PrivateKey,
  date: Date,
): Promise<Map<string, Uint8Array>> {
  const manifest = files.get(MANIFEST);
  if (!manifest) throw new Error("the dossier has no manifest to seal");
  const armored = await openpgp.sign({
    message: await openpgp.createMessage({ binary: manifest }),
    signingKeys: signingKey,
    detached: true,
    format: "armored",
    date,
  });
  const sealed = new Map(files);
  sealed.set(MANIFEST_SIGNATURE, new TextEncoder().encode(armored.trim() + "\n"));
  return sealed;
}

/** Upper-case hex without spaces; null when it is not a v4 or v6 fingerprint. */
export function normalizeFingerprint(text: string): string | null {
  const fpr = text.replace(/\s+/g, "").toUpperCase();
  return /^([0-9A-F]{40}|[0-9A-F]{64})$/.test(fpr) ? fpr : null;
}

async function publicKeyOf(armored: string): Promise<openpgp.Key> {
  const keys = await openpgp.readKeys({ armoredKeys: armored });
  if (keys.length !== 1) throw new Error(`holds ${keys.length} keys, not one`);
  if (keys[0].isPrivate()) throw new Error("holds a private key, not a public one");
  return keys[0];
}

/** The portal key the anchor points to, or the reason there is none. */
async function anchoredKey(
  anchor: NonNullable<TTrustAnchor>,
  files: ReadonlyMap<string, Uint8Array>,
): Promise<{ key: openpgp.Key; source: string } | { problem: string }> {
  if ("portalKey" in anchor) {
    try {
      return { key: await publicKeyOf(anchor.portalKey), source: "the portal key you gave" };
    } catch (e) {
      return { problem: `the portal key you gave is not usable: ${(e as Error).message}` };
    }
  }
  const trusted = normalizeFingerprint(anchor.portalFingerprint);
  if (!trusted)
    return { problem: `${anchor.portalFingerprint} is not an OpenPGP fingerprint (40 hex digits)` };
  const bytes = files.get(PORTAL_KEY);
  const text = bytes && utf8Text(bytes);
  if (!text) return { problem: `${PORTAL_KEY} is missing or not text` };
  try {
    const key = await publicKeyOf(text);
    const carried = key.getFingerprint().toUpperCase();
    if (carried !== trusted)
      return {
        problem: `${PORTAL_KEY} is key ${carried}, not the portal fingerprint you trust (${trusted}): this dossier was not signed by your portal`,
      };
    return { key, source: `${PORTAL_KEY}, whose fingerprint you trust` };
  } catch (e) {
    return { problem: `${PORTAL_KEY} ${(e as Error).message}` };
  }
}

/**
 * manifest.json.asc is a good signature over manifest.json's exact bytes by the
 * anchored portal key. Returns true only then: every other check rests on it.
 */
export async function checkPortalSeal(
  log: CheckLog,
  files: ReadonlyMap<string, Uint8Array>,
  anchor: TTrustAnchor,
  exportedAt: string | null,
): Promise<boolean> {
  return (await checkPortalSealKey(log, files, anchor, exportedAt)).sealed;
}

/** The portal key the bundle's other portal signatures (the log checkpoint's) are checked with. */
export type TSealKey = { armored: string; source: string };

/**
 * checkPortalSeal, also returning the portal key to check the bundle's other
 * portal signatures with (issue #16: the log checkpoint's): the anchored key,
 * or without an anchor the bundle's own portal-key.asc (which proves nothing,
 * like every check that runs without one); null when there is neither.
 */
export async function checkPortalSealKey(
  log: CheckLog,
  files: ReadonlyMap<string, Uint8Array>,
  anchor: TTrustAnchor,
  exportedAt: string | null,
): Promise<{ sealed: boolean; key: TSealKey | null }> {
  if (!anchor) {
    log.fail("trust", MANIFEST_SIGNATURE, NO_ANCHOR_MESSAGE);
    const own = files.get(PORTAL_KEY) && utf8Text(files.get(PORTAL_KEY)!);
    const key = own ? await publicKeyOf(own).catch(() => null) : null;
    return {
      sealed: false,
      key: key && {
        armored: key.armor(),
        source: `the dossier's own ${PORTAL_KEY}, which proves nothing without an anchor`,
      },
    };
  }
  const found = await anchoredKey(anchor, files);
  if ("problem" in found) {
    log.fail("trust", MANIFEST_SIGNATURE, found.problem);
    return { sealed: false, key: null };
  }
  const key = { armored: found.key.armor(), source: found.source };
  const fingerprint = found.key.getFingerprint().toUpperCase();
  const manifest = files.get(MANIFEST);
  const signature = files.get(MANIFEST_SIGNATURE);
  const armored = signature && utf8Text(signature);
  if (!manifest || !armored) {
    log.fail(
      "trust",
      MANIFEST_SIGNATURE,
      `${!manifest ? MANIFEST : MANIFEST_SIGNATURE} is missing: the dossier is not sealed by the portal`,
    );
    return { sealed: false, key };
  }
  try {
    await verifyDetachedSignature({
      statement: manifest,
      armoredSignature: armored,
      armoredPublicKey: key.armored,
      now: exportedAt ? new Date(exportedAt) : new Date(),
    });
  } catch (e) {
    log.fail(
      "trust",
      MANIFEST_SIGNATURE,
      `not a good signature over ${MANIFEST} by the portal key ${fingerprint} (${found.source}): ${isAppError(e) ? e.message : (e as Error).message} Nothing in this dossier is proven.`,
    );
    return { sealed: false, key };
  }
  log.pass(
    "trust",
    MANIFEST_SIGNATURE,
    `good signature over ${MANIFEST} by portal key ${fingerprint} (${found.source})`,
  );
  return { sealed: true, key };
}
