import "server-only";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { cleanId } from "../../domain/input-hygiene";
import { modeName } from "../../domain/update-mode";
import { ZInstallationSlug } from "./installations";
import { presentPackageResult, RESULT_SELECT } from "./package-facts";

// U1, U2, U4: a kept package, its verdicts and its update record, as the API
// and the pages show them.

const DETAIL_SELECT = {
  ...RESULT_SELECT,
  fileName: true,
  channel: true,
  format: true,
  sha256: true,
  receivedAt: true,
  installation: { select: { slug: true, name: true } },
} as const;

type TDetailRow = {
  id: string;
  installationId: string;
  state: "VERIFIED" | "QUARANTINED";
  reason: string | null;
  signerSubject: string | null;
  signerIssuer: string | null;
  signerNotAfter: Date | null;
  contentSha256: string | null;
  bytes: number;
  verifiedAt: Date;
  fileName: string;
  channel: "BROWSER" | "API" | "INBOX";
  format: string;
  sha256: string;
  receivedAt: Date;
  installation: { slug: string; name: string };
};

function presentSummary(p: TDetailRow) {
  return {
    ...presentPackageResult(p),
    fileName: p.fileName,
    channel: p.channel,
    format: p.format,
    sha256: p.sha256,
    installation: { slug: p.installation.slug, name: p.installation.name },
    receivedAt: p.receivedAt.toISOString(),
    verifiedAt: p.verifiedAt.toISOString(),
  };
}
export type TPackageSummary = ReturnType<typeof presentSummary>;

/** One package with every verdict (oldest first) and its update record, if it has one. */
export async function getPackage({ actor, id }: { actor: TActor; id: string }) {
  authorize(actor, "package:read");
  const packageId = cleanId().parse(id);
  const p = await db.updatePackage.findUnique({
    where: { id: packageId },
    select: {
      ...DETAIL_SELECT,
      verdicts: { orderBy: { at: "asc" } },
      update: { include: { steps: { orderBy: { number: "asc" } } } },
    },
  });
  if (!p) throw new AppError("NOT_FOUND", `No package ${packageId}.`);
  const byIds = [
    ...new Set(
      [
        ...p.verdicts.map((v) => v.byId),
        ...(p.update?.steps ?? []).map((s) => s.tickedById),
      ].filter((x): x is string => !!x),
    ),
  ];
  const people = new Map(
    (
      await db.user.findMany({ where: { id: { in: byIds } }, select: { id: true, name: true } })
    ).map((u) => [u.id, u.name]),
  );
  return {
    ...presentSummary(p),
    verdicts: p.verdicts.map((v) => ({
      state: v.state,
      reason: v.reason,
      at: v.at.toISOString(),
      by: v.byId ? (people.get(v.byId) ?? null) : null,
      certificates: v.certificateSha256s,
      pgpKeys: v.pgpFingerprints,
    })),
    update: p.update
      ? {
          id: p.update.id,
          mode: modeName(p.update.mode),
          state: p.update.state,
          createdAt: p.update.createdAt.toISOString(),
          completedAt: p.update.completedAt ? p.update.completedAt.toISOString() : null,
          steps: p.update.steps.map((s) => ({
            number: s.number,
            key: s.key,
            tickedBy: people.get(s.tickedById) ?? null,
            tickedAt: s.tickedAt.toISOString(),
          })),
        }
      : null,
  };
}
export type TPackageView = Awaited<ReturnType<typeof getPackage>>;

/** An installation's packages, newest first. */
export async function listPackages({ actor, slug }: { actor: TActor; slug: string }) {
  authorize(actor, "package:read");
  const installationSlug = ZInstallationSlug.parse(slug);
  const installation = await db.installation.findUnique({
    where: { slug: installationSlug },
    select: { id: true },
  });
  if (!installation) throw new AppError("NOT_FOUND", `No installation ${installationSlug}.`);
  const rows = await db.updatePackage.findMany({
    where: { installationId: installation.id },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    select: DETAIL_SELECT,
  });
  return rows.map(presentSummary);
}
