import "server-only";
import type { db, Tx } from "../../db";
import type { TPackageVerdict } from "../../update/verify-package";
import { verifyPackage } from "../../update/verify-package";
import { AppError } from "../../errors";
import { checklistFor, nextStep } from "../../domain/manual-checklist";
import { modeName } from "../../domain/package-statements";

// A package with its installation and update record, as the update modes
// (U4) read it: the package-apply and package-step rules, the checklist and
// the answers of the API.

const signerSelect = {
  select: {
    fingerprint: true,
    receivedAt: true,
    signer: { select: { id: true, name: true, email: true } },
  },
} as const;

const packageInclude = {
  installation: {
    select: { id: true, slug: true, name: true, mode: true, enterprise: true },
  },
  update: {
    include: {
      applyStatement: signerSelect,
      steps: { orderBy: { number: "asc" }, include: { statement: signerSelect } },
    },
  },
} as const;

export async function loadPackage(tx: Tx, id: string) {
  const pkg = await tx.updatePackage.findUnique({
    where: { id },
    omit: { data: true, content: true, signature: true },
    include: packageInclude,
  });
  if (!pkg) throw new AppError("NOT_FOUND", `There is no update package ${id}.`);
  return pkg;
}

export type TPackageRow = Awaited<ReturnType<typeof loadPackage>>;
export type TUpdateRow = NonNullable<TPackageRow["update"]>;

/** Locks the package row (a recording and the worker serialise on it), then loads it. */
export async function lockPackage(tx: Tx, id: string) {
  await tx.$executeRaw`SELECT 1 FROM "UpdatePackage" WHERE "id" = ${id} FOR UPDATE`;
  return loadPackage(tx, id);
}

/** A package something may be signed for: VERIFIED, with its update record. */
export function signableUpdate(pkg: TPackageRow): TUpdateRow {
  if (pkg.state === "QUARANTINED") {
    const reason = (pkg.reason ?? "no reason recorded").trim();
    throw new AppError(
      "CONFLICT",
      `This package is quarantined: ${reason}${/[.!?]$/.test(reason) ? "" : "."} Nothing can be signed for it.`,
    );
  }
  if (!pkg.update)
    throw new AppError("CONFLICT", `The package ${pkg.fileName} has no update record yet.`);
  return pkg.update;
}

const person = (s: {
  fingerprint: string;
  receivedAt: Date;
  signer: { id: string; name: string; email: string };
}) => ({
  by: s.signer,
  at: s.receivedAt.toISOString(),
  fingerprint: s.fingerprint,
});

/** The checklist of a manual update: the steps that apply, each ticked or not, and the next one. */
export function presentChecklist(pkg: TPackageRow) {
  const update = pkg.update;
  const ticked = new Map((update?.steps ?? []).map((s) => [s.number, s]));
  const enterprise = pkg.installation.enterprise;
  const next = nextStep(enterprise, [...ticked.keys()]);
  return {
    enterprise,
    steps: checklistFor(enterprise).map((s) => {
      const t = ticked.get(s.number);
      return {
        number: s.number,
        key: s.key,
        title: s.title,
        enterpriseOnly: s.enterpriseOnly,
        confirms: s.confirms,
        confirmLabels: s.confirmLabels,
        ticked: t ? { ...person(t.statement), evidence: t.evidence } : null,
      };
    }),
    next: next ? { number: next.number, key: next.key, title: next.title } : null,
  };
}

/** A package's update record as the API answers it. */
export function presentUpdate(pkg: TPackageRow) {
  const u = pkg.update;
  if (!u) return null;
  return {
    id: u.id,
    packageId: pkg.id,
    installation: pkg.installation.slug,
    mode: modeName(u.mode),
    state: u.state,
    createdAt: u.createdAt.toISOString(),
    completedAt: u.completedAt?.toISOString() ?? null,
    applied: u.applyStatement
      ? { ...person(u.applyStatement), statementId: u.applyStatementId }
      : null,
    checklist: u.mode === "MANUAL" ? presentChecklist(pkg) : null,
    postUpdate:
      u.postUpdateAt === null
        ? null
        : {
            status: u.postUpdateStatus,
            answer: u.postUpdateAnswer,
            at: u.postUpdateAt.toISOString(),
          },
  };
}

// ─── receiving and re-verifying (the ingest branch)

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
