import "server-only";
import { db, type Tx } from "../../db";
import { AppError } from "../../errors";
import type { THotfixComponent } from "../../domain/hotfix-name";
import type { THotfixFile } from "../../hotfix/hotfix-manifest";
import type { TStagingApplication, TStagingHotfix } from "../../domain/hotfix-staging";

/** The hotfix by its registered name (deleted ones are gone), or 404. */
export async function loadHotfix(tx: Tx | typeof db, name: string) {
  const hotfix = await tx.hotfix.findFirst({
    where: { name, deletedAt: null },
    include: {
      applications: { orderBy: { appliedAt: "asc" }, include: { server: true } },
      releaseStatement: { include: { signer: { select: { email: true } } } },
    },
  });
  if (!hotfix) throw new AppError("NOT_FOUND", `No hotfix named ${name}.`);
  const uploader = hotfix.uploadedById
    ? await tx.user.findUnique({ where: { id: hotfix.uploadedById }, select: { email: true } })
    : null;
  return { ...hotfix, uploadedBy: uploader?.email ?? "cli-bootstrap" };
}
export type THotfixRow = Awaited<ReturnType<typeof loadHotfix>>;

/** Takes the hotfix's row lock: applications to it are decided one at a time. */
export async function lockHotfix(tx: Tx, name: string) {
  await tx.$executeRaw`SELECT 1 FROM "Hotfix" WHERE "name" = ${name} AND "deletedAt" IS NULL FOR UPDATE`;
  return loadHotfix(tx, name);
}

/** The latest application per server, oldest first: each server's current state. */
export function latestApplications(hotfix: THotfixRow) {
  const latest = new Map<string, THotfixRow["applications"][number]>();
  for (const a of hotfix.applications) latest.set(a.serverId, a);
  return [...latest.values()].sort((a, b) => a.appliedAt.getTime() - b.appliedAt.getTime());
}

export function stagingOf(hotfix: THotfixRow): {
  hotfix: TStagingHotfix;
  applications: TStagingApplication[];
} {
  return {
    hotfix: {
      product: hotfix.product,
      version: hotfix.version,
      component: hotfix.component as THotfixComponent,
      released: hotfix.releasedAt !== null,
    },
    applications: latestApplications(hotfix).map((a) => ({
      server: a.server.slug,
      role: a.server.role,
      state: a.state,
    })),
  };
}

export const hotfixFiles = (hotfix: { files: unknown }) => hotfix.files as THotfixFile[];

/** GET /api/v1/hotfixes/:name's shape (ZHotfix in lib/api/openapi-hotfixes.ts). */
export function presentHotfix(hotfix: THotfixRow) {
  return {
    name: hotfix.name,
    fileName: hotfix.fileName,
    state: hotfix.releasedAt ? "RELEASED" : "UPLOADED",
    product: hotfix.product,
    version: hotfix.version,
    component: hotfix.component,
    description: hotfix.description,
    issue: hotfix.issue,
    sha256: hotfix.sha256,
    bytes: hotfix.bytes,
    files: hotfixFiles(hotfix),
    uploadedBy: hotfix.uploadedBy,
    uploadedAt: hotfix.uploadedAt.toISOString(),
    release: hotfix.releaseStatement
      ? {
          by: hotfix.releaseStatement.signer.email,
          fingerprint: hotfix.releaseStatement.fingerprint,
          at: hotfix.releaseStatement.receivedAt.toISOString(),
        }
      : null,
    applications: latestApplications(hotfix).map((a) => ({
      server: a.server.slug,
      role: a.server.role.toLowerCase(),
      state: a.state,
      appliedAt: a.appliedAt.toISOString(),
      verifiedAt:
        (a.state === "UNAPPLIED" ? a.unapplyVerifiedAt : a.verifiedAt)?.toISOString() ?? null,
      unappliedAt: a.unappliedAt?.toISOString() ?? null,
      restartCommand: a.restartCommand,
      restartExit: a.unappliedAt ? a.unapplyRestartExit : a.restartExit,
      error: a.error,
    })),
  };
}
export type THotfixView = ReturnType<typeof presentHotfix>;
