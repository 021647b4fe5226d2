import "server-only";
import type { Tx } from "../../db";
import type {
  DeploymentRecord,
  DeploymentStep,
  Patch,
  PatchRevision,
  Signoff,
  TargetSystem,
} from "../../generated/prisma/client";
import { AppError } from "../../errors";
import { derivePatchState, type TPatchFacts, type TPatchState } from "../../domain/patch-state";
import { buildPatchFacts, type TPatchFactsSource } from "../../domain/patch-facts";
import { appendAuditEvent, type TAuditActor } from "../audit/append-event";
import { fastPathOf } from "./fast-path";
import { withDates } from "../json-rows";
import { recordFastPathDeployed } from "../emergencies/fast-path-deployed";

type TRevisionRow = Pick<
  PatchRevision,
  "id" | "number" | "diffSha256" | "uploadedById" | "sizeBytes" | "fileCount" | "createdAt"
>;

type TPatchRows = Patch & {
  system: TargetSystem;
  revisions: TRevisionRow[];
  signoffs: Signoff[];
  deployments: (DeploymentRecord & { steps: DeploymentStep[] })[];
};

// The DateTime fields of the rows read as JSON below (withDates).
const DATES = {
  system: ["createdAt"],
  revision: ["createdAt"],
  signoff: ["createdAt"],
  deployment: ["openedAt", "closedAt"],
  step: ["doneAt"],
} as const;

/**
 * The patch with its system, revisions (without their diffs), sign-offs and deployments with
 * their steps, in one statement: every sign-off, tick and patch page reads this, and each
 * round trip and each Prisma model query costs more CPU than the reading (decision 0013).
 * An integration test compares it with Prisma's own include of the same rows.
 */
async function readPatchRows(tx: Tx, patchId: string): Promise<TPatchRows | null> {
  const [row] = await tx.$queryRaw<
    (Patch & Record<"system" | "revisions" | "signoffs" | "deployments", unknown>)[]
  >`
    SELECT p.*,
      (SELECT to_jsonb(s) FROM "TargetSystem" s WHERE s.id = p."systemId") AS system,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'number', r.number,
                'diffSha256', r."diffSha256", 'uploadedById', r."uploadedById",
                'sizeBytes', r."sizeBytes", 'fileCount', r."fileCount", 'createdAt', r."createdAt")
              ORDER BY r.number), '[]')
         FROM "PatchRevision" r WHERE r."patchId" = p.id) AS revisions,
      (SELECT coalesce(jsonb_agg(to_jsonb(so) ORDER BY so."createdAt", so.id), '[]')
         FROM "Signoff" so WHERE so."patchId" = p.id) AS signoffs,
      (SELECT coalesce(jsonb_agg(to_jsonb(d) || jsonb_build_object('steps',
                (SELECT coalesce(jsonb_agg(to_jsonb(st) ORDER BY st.number), '[]')
                   FROM "DeploymentStep" st WHERE st."recordId" = d.id))
              ORDER BY d."openedAt" DESC, d.id), '[]')
         FROM "DeploymentRecord" d WHERE d."patchId" = p.id) AS deployments
    FROM "Patch" p WHERE p.id = ${patchId}`;
  if (!row) return null;
  type TJson = Record<string, unknown>;
  return {
    ...row,
    system: withDates(row.system as TJson, DATES.system),
    revisions: (row.revisions as TJson[]).map((r) => withDates(r, DATES.revision)),
    signoffs: (row.signoffs as TJson[]).map((so) => withDates(so, DATES.signoff)),
    deployments: (row.deployments as TJson[]).map((d) => ({
      ...withDates<DeploymentRecord>(d, DATES.deployment),
      steps: (d.steps as TJson[]).map((st) => withDates<DeploymentStep>(st, DATES.step)),
    })),
  };
}

/** Everything the pure rules need about a patch, read inside the caller's transaction. */
export async function loadPatch(tx: Tx, patchId: string) {
  const row = await readPatchRows(tx, patchId);
  if (!row) throw new AppError("NOT_FOUND", "No such patch.");
  const numberOf = new Map(row.revisions.map((r) => [r.id, r.number]));
  const patch = {
    ...row,
    signoffs: row.signoffs.map((s) => ({
      ...s,
      revision: { number: numberOf.get(s.revisionId)! },
    })),
  };
  const revision = patch.revisions.find((r) => r.number === patch.currentRevision)!;
  const deployment = patch.deployments.find((d) => d.revisionId === revision.id) ?? null;
  // Option 1's patch (E3): its gates, signed on the emergency, stand for its sign-offs.
  const fastPath = await fastPathOf(tx, patch, patch.revisions);
  const source: TPatchFactsSource = {
    authorId: patch.authorId,
    revision: revision.number,
    revisions: patch.revisions,
    policy: patch.system,
    signoffs: [
      ...patch.signoffs.map((s) => ({ ...s, revision: s.revision.number })),
      ...(fastPath?.signoffs ?? []),
    ],
    deployment,
    withdrawn: patch.withdrawalId !== null,
    ...(fastPath ? { fastPath: { emergencyNumber: fastPath.emergencyNumber } } : {}),
  };
  const facts = buildPatchFacts(source);
  return { patch, revision, deployment, facts, fastPath, source };
}

export type TLoadedPatch = Awaited<ReturnType<typeof loadPatch>>;

/**
 * Writes the state the rules derive from the facts, with a guard on the state
 * read earlier in this transaction: a concurrent change makes this a conflict.
 */
export async function syncPatchState(
  tx: Tx,
  actor: TAuditActor,
  patchId: string,
): Promise<TPatchState> {
  const loaded = await loadPatch(tx, patchId);
  return writePatchState(tx, actor, loaded, loaded.facts);
}

/**
 * syncPatchState() after one new sign-off, without reading the patch again. `loaded` was
 * read under the patch's row lock (lockPatch), which every change to a patch takes first, so
 * the patch's facts are still exactly those plus the sign-off just inserted: the state is
 * derived from that, by the same buildPatchFacts() and derivePatchState() a reload would use.
 */
export async function syncPatchStateAfterSignoff(
  tx: Tx,
  actor: TAuditActor,
  loaded: TLoadedPatch,
  signoff: TPatchFactsSource["signoffs"][number],
): Promise<TPatchState> {
  const facts = buildPatchFacts({
    ...loaded.source,
    signoffs: [...loaded.source.signoffs, signoff],
  });
  return writePatchState(tx, actor, loaded, facts);
}

/** Writes derivePatchState(facts) over the state `loaded` read, guarded by that state. */
async function writePatchState(
  tx: Tx,
  actor: TAuditActor,
  { patch, revision, deployment, fastPath }: TLoadedPatch,
  facts: TPatchFacts,
): Promise<TPatchState> {
  const patchId = patch.id;
  const next = derivePatchState(facts).state;
  if (next === patch.state) return next;
  const { count } = await tx.patch.updateMany({
    where: { id: patchId, state: patch.state },
    data: { state: next },
  });
  if (count === 0)
    throw new AppError("CONFLICT", "The patch changed while this was being recorded; try again.");
  await appendAuditEvent(tx, {
    actor,
    action: "patch.state",
    subjectType: "patch",
    subjectId: patchId,
    payload: { from: patch.state, to: next },
  });
  // Option 1's deploy gate is the deployment record that installed the patch (E3).
  if (next === "DEPLOYED" && fastPath && deployment)
    await recordFastPathDeployed(tx, actor, {
      emergencyId: fastPath.emergencyId,
      patchId,
      deploymentId: deployment.id,
      openedById: deployment.openedById,
      sha256: revision.diffSha256,
    });
  return next;
}

/** Serialises every change to one patch: the row lock is held until commit. */
export async function lockPatch(tx: Tx, patchId: string): Promise<void> {
  const n = await tx.$executeRaw`SELECT 1 FROM "Patch" WHERE id = ${patchId} FOR UPDATE`;
  if (n === 0) throw new AppError("NOT_FOUND", "No such patch.");
}
