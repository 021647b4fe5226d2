import { sha256Hex } from "../crypto/hash";
import { buildPatchFacts } from "../domain/patch-facts";
import { deploySeparation } from "../domain/deploy-separation";
import { isWorkerStep } from "../domain/procedures";
import { evidenceMatches, readStepStatement } from "../domain/step-statement";
import type { TDeploymentFile, TManifest } from "./manifest";
import type { CheckLog } from "./check-log";
import type { TVerifiedStatement } from "./verify-statements";
import type { TVerifiedFastPath } from "./verify-fast-path";
import { recorded } from "./verify-gates";

type TDeployment = TDeploymentFile["deployments"][number];
type TStep = TDeployment["steps"][number];

/**
 * X1 and X3 at deployment, offline: every hand step ticked and every
 * signing-server decision is a verified `step` statement of this deployment
 * and step, signed by a critical admin who took no other part in the patch
 * (and, on the signing server, signed their presence at the visit), whose
 * evidence is what deployment.json records; ticks arrived in step order.
 */
export function checkSteps(
  log: CheckLog,
  manifest: TManifest,
  statements: TVerifiedStatement[],
  deployments: TDeployment[],
  fastPath: readonly TVerifiedFastPath[] = [],
) {
  const facts = buildPatchFacts({
    ...recorded(manifest, statements, fastPath),
    revision: manifest.patch.revision,
    deployment: null,
  });
  for (const d of deployments) {
    const problems: string[] = [];
    const present = new Set(
      d.presence.filter((p) => p.role === "CRITICAL_ADMIN").map((p) => p.account),
    );
    const signed = (s: TStep, file: string | null | undefined, what: "tick" | "decision") => {
      const where = `step ${s.number}`;
      if (!file) {
        problems.push(`${where}: the ${what} has no signed statement`);
        return null;
      }
      const st = statements.find((x) => x.file === file);
      const step = st && readStepStatement(st.parsed);
      if (!st || !step) {
        problems.push(`${where}: ${file} is not a verified step statement of this dossier`);
        return null;
      }
      if (step.deploymentId !== d.id || step.number !== s.number || st.revision !== d.revision)
        problems.push(`${where}: ${file} is about another deployment, step or revision`);
      if (sha256Hex(step.evidenceText) !== step.evidenceSha256)
        problems.push(`${where}: ${file}'s evidence-sha256 is not the SHA-256 of its evidence`);
      const reason = deploySeparation(facts, st.signer.account);
      if (reason)
        problems.push(
          `${where}: ${file} was signed by ${st.signer.email}, who may not deploy it: ${reason.replace(/^you /, "they ")}`,
        );
      if (d.procedure === "SIGNING_SERVER" && !present.has(st.signer.account))
        problems.push(
          `${where}: ${file} was signed by ${st.signer.email}, who did not sign their presence at the visit`,
        );
      return { st, step };
    };

    const ticks: { number: number; at: string }[] = [];
    for (const s of d.steps) {
      if (s.applicability === "SITUATIONAL" && s.applicabilityReason !== null) {
        const r = signed(s, s.decisionStatement, "decision");
        if (r) {
          if (r.step.verdict !== (s.applicable ? "applies" : "not-applicable"))
            problems.push(`step ${s.number}: the signed decision is not the recorded one`);
          else if (
            !evidenceMatches(r.step.evidence, {
              applicable: s.applicable,
              reason: s.applicabilityReason,
            })
          )
            problems.push(`step ${s.number}: the signed reason is not the recorded one`);
        }
      }
      if (isWorkerStep(s.number) || (s.status !== "DONE" && s.status !== "FAILED")) continue;
      const r = signed(s, s.statement, "tick");
      if (!r) continue;
      if (r.step.verdict !== (s.status === "FAILED" ? "failed" : "done"))
        problems.push(`step ${s.number}: signed as ${r.step.verdict}, recorded as ${s.status}`);
      if (!evidenceMatches(r.step.evidence, s.evidence))
        problems.push(`step ${s.number}: the signed evidence is not what deployment.json records`);
      if (s.doneBy && s.doneBy.account !== r.st.signer.account)
        problems.push(
          `step ${s.number}: recorded as done by ${s.doneBy.email}, signed by ${r.st.signer.email}`,
        );
      const earlier = d.steps.find(
        (e) =>
          e.number < s.number && e.applicable && !isWorkerStep(e.number) && e.status !== "DONE",
      );
      if (earlier)
        problems.push(`step ${s.number} was ticked while step ${earlier.number} was not done`);
      ticks.push({ number: s.number, at: r.st.receivedAt });
    }
    for (let i = 1; i < ticks.length; i++) {
      if (ticks[i].at < ticks[i - 1].at)
        problems.push(
          `step ${ticks[i].number} was signed before step ${ticks[i - 1].number}: ticks go in order`,
        );
    }
    log.expect(
      "steps",
      d.id,
      problems,
      `${ticks.length} tick(s) by hand, each a signed statement in order by an allowed critical admin`,
    );
  }
}
