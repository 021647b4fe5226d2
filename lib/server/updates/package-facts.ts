import "server-only";
import type { Tx } from "../../db";
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
  if (pkg.state === "QUARANTINED")
    throw new AppError(
      "CONFLICT",
      `This package is quarantined: ${pkg.reason ?? "no reason recorded"} Nothing can be signed for it.`,
    );
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
