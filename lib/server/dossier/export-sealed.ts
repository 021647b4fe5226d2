import "server-only";
import { db, Prisma, type Tx } from "../../db";
import { sha256Hex } from "../../crypto/hash";
import { packDossier } from "../../dossier/archive";
import { sealDossier } from "../../dossier/portal-seal";
import { portalPublicKey, portalSigningKey } from "../portal-key/portal-key";

export type TPortalKeyRef = { fingerprint: string; armored: string };

/**
 * One record's bundle (.tar.gz) as every area exports it: read in one
 * repeatable-read snapshot so the files, the manifest and the audit head agree
 * with each other, laid out by the area, sealed by the portal key (which the
 * reader trusts from outside the bundle) and packed under its root folder.
 */
export async function exportSealedBundle<R>(area: {
  read: (tx: Tx, exportedAt: Date, portalKey: TPortalKeyRef) => Promise<R>;
  assemble: (record: R) => ReadonlyMap<string, Uint8Array>;
  root: (record: R) => string;
  fileName: (record: R) => string;
}) {
  // The portal key first: made on first use, it must exist before the moment it signs for.
  const { fingerprint, publicArmored } = await portalPublicKey();
  const signingKey = await portalSigningKey();
  const exportedAt = new Date();
  const record = await db.$transaction(
    (tx) => area.read(tx, exportedAt, { fingerprint, armored: publicArmored }),
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
  );
  const files = await sealDossier(area.assemble(record), signingKey, exportedAt);
  const bytes = await packDossier(area.root(record), files, exportedAt);
  return {
    fileName: area.fileName(record),
    bytes,
    sha256: sha256Hex(bytes),
    fileCount: files.size,
  };
}
