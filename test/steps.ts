import { signedDecision, signedTick } from "../prisma/seed/signed-steps";
import { detachSign, type TSigner } from "./signers";

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
