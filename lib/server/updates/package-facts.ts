import "server-only";
import type { db, Tx } from "../../db";
import type { TPackageVerdict } from "../../update/verify-package";
import { verifyPackage } from "../../update/verify-package";

// What receiving and re-verifying a package share: the trust it is checked
// against, the verdict's fields on the package row, and the answer's shape.

export type TPackageResult = {
  id: string;
  state: "VERIFIED" | "QUARANTINED";
  reason: string | null;
  signer: { subject: string; issuer: string; notAfter: string | null } | null;
  contentSha256: string | null;
  bytes: number;
};

type TVerdictRow = {
  id: string;
  state: "VERIFIED" | "QUARANTINED";
  reason: string | null;
  signerSubject: string | null;
  signerIssuer: string | null;
  signerNotAfter: Date | null;
  contentSha256: string | null;
  bytes: number;
};

/** The columns the answer needs (never the file or its content). */
export const RESULT_SELECT = {
  id: true,
  installationId: true,
  state: true,
  reason: true,
  signerSubject: true,
  signerIssuer: true,
  signerNotAfter: true,
  contentSha256: true,
  bytes: true,
  verifiedAt: true,
} as const;

/** The answer of an upload or a re-verification (issue 13, "Packages"). */
export function presentPackageResult(p: TVerdictRow): TPackageResult {
  return {
    id: p.id,
    state: p.state,
    reason: p.reason,
    signer:
      p.signerSubject !== null
        ? {
            subject: p.signerSubject,
            issuer: p.signerIssuer ?? "",
            notAfter: p.signerNotAfter ? p.signerNotAfter.toISOString() : null,
          }
        : null,
    contentSha256: p.contentSha256,
    bytes: p.bytes,
  };
}

/** Prisma's Bytes without a copy of a large package. */
export function asBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
}

/** The installation's active trusted certificates and vendor keys, as a verdict names them. */
export async function activeTrust(client: Tx | typeof db, installationId: string) {
  const [certificates, pgpKeys] = await Promise.all([
    client.trustedCertificate.findMany({
      where: { installationId, removedAt: null },
      orderBy: { addedAt: "asc" },
      select: { sha256: true, der: true },
    }),
    client.vendorPgpKey.findMany({
      where: { installationId, removedAt: null },
      orderBy: { addedAt: "asc" },
      select: { fingerprint: true, armored: true },
    }),
  ]);
  return { certificates, pgpKeys };
}
export type TTrust = Awaited<ReturnType<typeof activeTrust>>;

/**
 * The verdict on these bytes with this trust at `at`. A verifier that fails
 * unexpectedly quarantines the file rather than lose it: every file is kept.
 */
export async function judgePackage(input: {
  data: Uint8Array;
  signature: Uint8Array | null;
  trust: TTrust;
  installationName: string;
  at: Date;
}): Promise<TPackageVerdict> {
  try {
    return await verifyPackage({
      data: input.data,
      signature: input.signature,
      certificates: input.trust.certificates.map((c) => new Uint8Array(c.der)),
      pgpKeys: input.trust.pgpKeys.map((k) => k.armored),
      installationName: input.installationName,
      at: input.at,
    });
  } catch (e) {
    console.error(e);
    return {
      state: "QUARANTINED",
      format: "unknown",
      reason: `The package could not be checked (${(e as Error).message}). It is kept in quarantine; try re-verifying it, and report this if it stays.`,
      signer: null,
      content: null,
      contentSha256: null,
    };
  }
}

/** The verdict's fields on the package row. */
export function verdictFields(v: TPackageVerdict, at: Date) {
  return {
    format: v.format,
    state: v.state,
    reason: v.state === "VERIFIED" ? null : (v.reason ?? "The package was not verified."),
    content: v.content ? asBuffer(v.content) : null,
    contentSha256: v.contentSha256,
    signerSubject: v.signer?.subject ?? null,
    signerIssuer: v.signer?.issuer ?? null,
    signerNotAfter: v.signer?.notAfter ?? null,
    verifiedAt: at,
  };
}

/** The PackageVerdict row and the `package.verdict` audit payload's trust lists. */
export function trustNames(trust: TTrust) {
  return {
    certificateSha256s: trust.certificates.map((c) => c.sha256),
    pgpFingerprints: trust.pgpKeys.map((k) => k.fingerprint),
  };
}
