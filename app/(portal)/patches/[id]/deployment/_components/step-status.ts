import { handStepsDone, isWorkerStep, stepProgress } from "@/lib/domain/procedures";
import type { TPatchView } from "@/lib/server/patches/get-patch";

export type TDeploymentView = NonNullable<TPatchView["deployment"]>;
export type TStepView = TDeploymentView["steps"][number];

/** How a step reads on the checklist; the server still decides what may be ticked. */
export type TStepDisplay =
  "done" | "active" | "waiting" | "failed" | "na" | "queued" | "worker" | "stopped" | "signature";

/** The one hand step a critical admin can tick next: the first applicable one still pending. */
export function nextStep(d: TDeploymentView): number | null {
  if (d.state !== "OPEN") return null;
  const s = d.steps.find((s) => s.applicable && !isWorkerStep(s.number) && s.status === "PENDING");
  return s ? s.number : null;
}

export function displayOf(d: TDeploymentView, s: TStepView): TStepDisplay {
  if (s.status === "DONE") return "done";
  if (s.status === "FAILED") return "failed";
  if (s.status === "NOT_APPLICABLE" || !s.applicable) return "na";
  if (d.state === "FAILED") return "stopped";
  // P7: the worker steps are queued once the admin signed the notification.
  if (isWorkerStep(s.number))
    return !handStepsDone(d.steps) ? "worker" : d.notification ? "queued" : "signature";
  return nextStep(d) === s.number ? "active" : "waiting";
}

export const DISPLAY_LABEL: Record<TStepDisplay, string> = {
  done: "done",
  active: "open now",
  waiting: "waiting",
  failed: "failed",
  na: "not applicable",
  queued: "performed by the worker, queued",
  worker: "performed by the worker",
  stopped: "stopped",
  signature: "awaits signature",
};

/** stepProgress(), as every page counts, plus the worker steps queued now. */
export function progressOf(d: TDeploymentView) {
  const queued = d.steps.filter((s) => s.applicable && displayOf(d, s) === "queued").length;
  return { ...stepProgress(d.steps), queued };
}
