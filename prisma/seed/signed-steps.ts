import type { TPersonActor } from "../../lib/auth/actor";
import {
  issueDecisionStatement,
  issueStepStatement,
} from "../../lib/server/deployments/issue-step-statement";
import { recordStepStatement } from "../../lib/server/deployments/record-step-statement";

// A deployment step ticked or decided as a critical admin does it (X1): the
// server issues the `step` statement, the admin signs it, the server records
// it. Shared by the demo (its signers) and the tests (theirs).

export type TSign = (statement: string) => Promise<string>;

export async function signedTick(
  actor: TPersonActor,
  sign: TSign,
  input: { patchId: string; number: number; evidence?: Record<string, unknown> },
) {
  const { statement } = await issueStepStatement({ actor, ...input });
  const r = await recordStepStatement({ actor, statement, signature: await sign(statement) });
  if (r.type !== "tick") throw new Error("a tick statement was recorded as a decision");
  return r;
}

export async function signedDecision(
  actor: TPersonActor,
  sign: TSign,
  input: { patchId: string; number: number; applicable: boolean; reason: string },
) {
  const { statement } = await issueDecisionStatement({ actor, ...input });
  const r = await recordStepStatement({ actor, statement, signature: await sign(statement) });
  if (r.type !== "decision") throw new Error("a decision statement was recorded as a tick");
  return r;
}
