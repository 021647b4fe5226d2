import "server-only";
import { z } from "zod";
import { cleanId } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor, type TPersonActor } from "../../auth/actor";
import { evidenceText, tickVerdict, type TStepVerdict } from "../../domain/step-statement";
import { sha256Hex } from "../../crypto/hash";
import { ZKeyFingerprint } from "../keys/signing-key";
import { writePatchStatement } from "../statements/write-statement";
import { loadOpenDeployment, type TOpenDeployment } from "./deployment-facts";
import { checkTick } from "./tick-step";
import { checkDecision, ZDecideStep } from "./decide-step";

export const ZIssueStepStatement = z.object({
  patchId: cleanId(),
  number: z.coerce.number().int().min(1).max(13),
  evidence: z.record(z.string(), z.unknown()).default({}),
  keyFingerprint: ZKeyFingerprint.optional(),
});

export const ZIssueDecisionStatement = ZDecideStep.extend({
  keyFingerprint: ZKeyFingerprint.optional(),
});

/** POST .../deployment/steps/{n}/statement: the evidence (and the key); the patch and step are in the URL. */
export const ZIssueStepStatementBody = z.object({
  evidence: ZIssueStepStatement.shape.evidence,
  keyFingerprint: ZIssueStepStatement.shape.keyFingerprint.meta({
    description: "Default: the newest key.",
  }),
});

/** POST .../deployment/steps/{n}/applicability/statement: the decision and its reason. */
export const ZIssueDecisionStatementBody = ZIssueDecisionStatement.pick({
  applicable: true,
  reason: true,
  keyFingerprint: true,
});

/** Checks inside a short transaction (the patch locked, as the recording will), then writes the statement. */
async function issue(
  person: TPersonActor,
  patchId: string,
  keyFingerprint: string | undefined,
  check: (d: TOpenDeployment) => {
    number: number;
    verdict: TStepVerdict;
    evidence: Record<string, unknown>;
  },
) {
  const { d, step } = await db.$transaction(async (tx: Tx) => {
    const d = await loadOpenDeployment(tx, patchId);
    return { d, step: check(d) };
  });
  const text = evidenceText(step.evidence);
  return writePatchStatement(
    person,
    {
      kind: "step",
      verdict: step.verdict,
      patchId: d.patch.id,
      patchNumber: d.patch.number,
      revision: d.record.revision.number,
      system: d.patch.system.slug,
      diffSha256: d.record.revision.diffSha256,
      bugId: d.patch.bugId,
      deploymentId: d.record.id,
      step: step.number,
      evidenceSha256: sha256Hex(text),
      comment: text,
    },
    keyFingerprint,
  );
}

/**
 * The `step` statement a critical admin signs to tick step n with this
 * evidence (X1). Issued only when the tick would be accepted now: separation
 * (X3), order, the visit, and the evidence's rules (P5) are checked first.
 */
export async function issueStepStatement({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZIssueStepStatement>) {
  const person = requirePerson(actor);
  authorize(person, "deploy:tick");
  const req = ZIssueStepStatement.parse(input);
  return issue(person, req.patchId, req.keyFingerprint, (d) => {
    const evidence = checkTick(d, person, req.number, req.evidence);
    return { number: req.number, verdict: tickVerdict(req.number, evidence), evidence };
  });
}

/** The `step` statement of a signing-server decision on step 3–7 (P6), with its reason. */
export async function issueDecisionStatement({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZIssueDecisionStatement>) {
  const person = requirePerson(actor);
  authorize(person, "deploy:tick");
  const req = ZIssueDecisionStatement.parse(input);
  return issue(person, req.patchId, req.keyFingerprint, (d) => {
    checkDecision(d, person, req.number);
    return {
      number: req.number,
      verdict: req.applicable ? "applies" : "not-applicable",
      evidence: { applicable: req.applicable, reason: req.reason },
    };
  });
}
