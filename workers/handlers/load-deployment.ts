import { db } from "../../lib/db";
import { PermanentError } from "./context";

/** Everything a worker step needs, reloaded fresh from Postgres on every try. */
export async function loadDeployment(deploymentId: string) {
  const record = await db.deploymentRecord.findUnique({
    where: { id: deploymentId },
    include: {
      patch: { include: { system: { include: { mirrors: true } } } },
      revision: { select: { number: true, diffSha256: true } },
      steps: { orderBy: { number: "asc" } },
      notification: { include: { signer: { select: { name: true, email: true } } } },
    },
  });
  if (!record) throw new PermanentError(`deployment ${deploymentId} does not exist`);
  const step = (n: number) => record.steps.find((s) => s.number === n);
  const evidence = (n: number) =>
    step(n)?.status === "DONE" ? ((step(n)?.evidence ?? {}) as Record<string, unknown>) : {};
  return { record, patch: record.patch, system: record.patch.system, step, evidence };
}

export type TLoadedDeployment = Awaited<ReturnType<typeof loadDeployment>>;

export function requireAddress(value: string | null, what: string, slug: string): string {
  if (!value)
    throw new PermanentError(
      `system ${slug} has no ${what} configured (patchgate system set ${slug} ...)`,
    );
  return value;
}
