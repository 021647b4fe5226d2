import { signedDecision, signedTick } from "../prisma/seed/signed-steps";
import { detachSign, type TSigner } from "./signers";
import { openDeployment } from "../lib/server/deployments/open-deployment";
import { requestedPatch, type TTeam } from "./process";

// Deployment steps as the tests take them: each tick and decision a `step`
// statement signed with the signer's own key (X1).

export function tickStep({
  actor,
  ...input
}: {
  actor: TSigner;
  patchId: string;
  number: number;
  evidence?: Record<string, unknown>;
}) {
  return signedTick(actor, (s) => detachSign(actor.privateKey, s), input);
}

export function decideStep({
  actor,
  ...input
}: {
  actor: TSigner;
  patchId: string;
  number: number;
  applicable: boolean;
  reason: string;
}) {
  return signedDecision(actor, (s) => detachSign(actor.privateKey, s), input);
}

/**
 * A webdb patch requested by team `t`, its deployment opened and steps 1 to `last` ticked by
 * its first critical admin, with the evidence each step asks for (`evidence` adds a step's own,
 * e.g. step 7's tarball).
 */
export async function tickedUpTo(
  t: TTeam,
  last: number,
  evidence: Record<number, Record<string, unknown>> = {},
) {
  const p = await requestedPatch(t);
  await openDeployment({ actor: t.ca1, patchId: p.id });
  const all: Record<number, Record<string, unknown>> = {
    3: { checksumMatched: true },
    4: { assessment: "Low risk", webServerStopped: false },
    5: { output: "patching file www/account.php", result: "clean" },
    6: { commitMessage: "Fix for bug #1234" },
    ...evidence,
  };
  for (let n = 1; n <= last; n++)
    await tickStep({ actor: t.ca1, patchId: p.id, number: n, evidence: all[n] ?? {} });
  return p;
}
