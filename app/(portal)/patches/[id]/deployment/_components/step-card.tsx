import type { TPatchView } from "@/lib/server/patches/get-patch";
import { formatDateTime, formatFingerprint } from "@/lib/format";
import {
  DISPLAY_LABEL,
  type TDeploymentView,
  type TStepDisplay,
  type TStepView,
} from "./step-status";
import { EvidenceView, evidenceSummary } from "./evidence-view";
import { StepGuide } from "./step-guide";
import { StepForm } from "./step-form";
import { DecideForm } from "./decide-form";
import styles from "./checklist.module.css";

const hasEvidence = (e: unknown) =>
  !!e &&
  typeof e === "object" &&
  Object.values(e).some((v) => v !== "" && v !== null && v !== undefined);

const LOOK: Record<TStepDisplay, [string, string]> = {
  done: [styles.isDone, styles.sDone],
  active: [styles.isActive, styles.sActive],
  waiting: [styles.isWaiting, styles.sWaiting],
  failed: [styles.isFailed, styles.sFailed],
  na: [styles.isNa, styles.sNa],
  queued: [`${styles.isWorker} ${styles.isQueued}`, styles.sQueued],
  worker: [`${styles.isWorker} ${styles.isWaiting}`, styles.sWaiting],
  stopped: [`${styles.isWaiting} ${styles.isStopped}`, styles.sWaiting],
  signature: [`${styles.isWorker} ${styles.isWaiting}`, styles.sDecide],
};

/** One step of the procedure: its number, status, who ticked it and when, its evidence, and its form when it is next. */
export function StepCard({
  patch,
  step,
  display,
  mayTick,
  signingServer,
}: {
  patch: TPatchView;
  step: TStepView;
  display: TStepDisplay;
  mayTick: boolean;
  signingServer: boolean;
}) {
  const d = patch.deployment as TDeploymentView;
  const [rowClass, chipClass] = LOOK[display];
  const undecided =
    signingServer && step.applicability === "SITUATIONAL" && step.applicabilityReason === null;
  const mark =
    display === "done"
      ? "✓"
      : display === "failed"
        ? "✕"
        : display === "na"
          ? "–"
          : String(step.number);
  const open = display === "active";
  return (
    <li
      className={`${styles.step} ${rowClass}`}
      data-testid={`step-${step.number}`}
      data-status={display}
    >
      <div className={styles.dot} aria-hidden>
        {mark}
      </div>
      <div className={styles.card}>
        <div className={styles.cardHead}>
          <h3 className={styles.title}>
            <span className="muted">{step.number}.</span> {step.title}
          </h3>
          <span
            className={`${styles.status} ${undecided && display !== "na" ? styles.sDecide : chipClass}`}
            data-testid="step-status"
          >
            {undecided && display !== "na" ? "decide first" : DISPLAY_LABEL[display]}
          </span>
        </div>
        {step.doneAt && (
          <div className={styles.meta}>
            {step.status === "FAILED" ? "Recorded as failed" : "Ticked"} by{" "}
            <b>{step.doneBy?.name ?? "the worker"}</b> · {formatDateTime(step.doneAt)}
            {step.signedWith && (
              <>
                {" "}
                · signed with key{" "}
                <span className="fingerprint" data-testid="signed-with">
                  {formatFingerprint(step.signedWith)}
                </span>
              </>
            )}
          </div>
        )}
        {signingServer && step.applicabilityReason && step.applicability === "SITUATIONAL" && (
          <div className={styles.decisionDone} data-testid="decision">
            <span className={`chip ${step.applicable ? "ok" : ""}`}>
              {step.applicable ? "applies" : "does not apply"}
            </span>{" "}
            {step.applicabilityReason}
          </div>
        )}
        {signingServer && step.applicability === "NEVER" && (
          <div className={styles.meta}>Not part of the signing-server procedure.</div>
        )}

        {open && (
          <div className={`${styles.body} ${styles.guide}`}>
            <StepGuide number={step.number} signingServer={signingServer} />
          </div>
        )}
        {display === "failed" && <EvidenceView evidence={step.evidence} />}
        {display === "done" && hasEvidence(step.evidence) && (
          <details className={styles.evidence}>
            <summary>
              Evidence
              {evidenceSummary(step.number, step.evidence) && (
                <span className={styles.summary}>
                  {" "}
                  · {evidenceSummary(step.number, step.evidence)}
                </span>
              )}
            </summary>
            <EvidenceView evidence={step.evidence} />
          </details>
        )}
        {display === "active" && mayTick && d.state === "OPEN" && (
          <StepForm patch={patch} number={step.number} />
        )}
        {display === "active" && !mayTick && (
          <p className="small muted" style={{ marginTop: "0.6rem" }}>
            Waiting for a critical admin to tick this step.
          </p>
        )}
        {undecided && mayTick && d.state === "OPEN" && step.status === "PENDING" && (
          <DecideForm patchId={patch.id} number={step.number} />
        )}
      </div>
    </li>
  );
}
