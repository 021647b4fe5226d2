import { signedDecision, signedTick } from "../prisma/seed/signed-steps";
import { detachSign, type TSigner } from "./signers";
import { openDeployment } from "../lib/server/deployments/open-deployment";
import { requestedPatch, type TTeam } from "./process";
import { sha256Hex } from "../lib/crypto/hash";

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

type TStepEvidence = Record<number, Record<string, unknown>>;

/** Steps 3–6 of a clean webdb deployment, with the evidence each asks for. */
export const WEBDB_EVIDENCE: TStepEvidence = {
  3: { checksumMatched: true },
  4: { assessment: "Low risk", webServerStopped: false },
  5: { output: "patching file www/account.php", result: "clean" },
  6: { commitMessage: "Fix for bug #1234" },
};

/** Option 1's emergency fix deployed: the same steps, its own apply output, commit and tarball. */
export const EMERGENCY_FIX_EVIDENCE: TStepEvidence = {
  ...WEBDB_EVIDENCE,
  5: { output: "patching file www/index.php", result: "clean" },
  6: { commitMessage: "Emergency fix" },
  7: { tarball: "cacert.tar.gz", tarballSha256: sha256Hex("tarball") },
};

/** Ticks steps 1 to `last` of the patch's deployment as `actor`, each with its `evidence` (or none). */
export async function tickSteps(
  actor: TSigner,
  patchId: string,
  last: number,
  evidence: TStepEvidence,
) {
  for (let n = 1; n <= last; n++)
    await tickStep({ actor, patchId, number: n, evidence: evidence[n] ?? {} });
}

/**
 * A webdb patch requested by team `t`, its deployment opened and steps 1 to `last` ticked by
 * its first critical admin, with the evidence each step asks for (`evidence` adds a step's own,
 * e.g. step 7's tarball).
 */
export async function tickedUpTo(t: TTeam, last: number, evidence: TStepEvidence = {}) {
  const p = await requestedPatch(t);
  await openDeployment({ actor: t.ca1, patchId: p.id });
  await tickSteps(t.ca1, p.id, last, { ...WEBDB_EVIDENCE, ...evidence });
  return p;
}
