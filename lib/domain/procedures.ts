import { AppError } from "../errors";

// The deployment procedures of shared/seeds/cacert-software-patches.txt (P4–P6).

export type TProcedure = "WEBDB" | "SIGNING_SERVER";
export type TApplicability = "ALWAYS" | "NEVER" | "SITUATIONAL";
export type TStepStatus = "PENDING" | "DONE" | "FAILED" | "NOT_APPLICABLE";

export type TStepTemplate = {
  number: number;
  key: string;
  title: string;
  /** Performed by the worker through the outbox (P7–P9), not ticked by hand. */
  byWorker: boolean;
};

export const STEPS: TStepTemplate[] = [
  {
    number: 1,
    key: "check-request",
    title: "Check the patch request was signed by an approved assessor",
    byWorker: false,
  },
  {
    number: 2,
    key: "check-gates",
    title: "Check the documentation: two reviews and two tests",
    byWorker: false,
  },
  {
    number: 3,
    key: "transfer",
    title: "Transfer the patch to /tmp on the production server",
    byWorker: false,
  },
  {
    number: 4,
    key: "risk",
    title: "Evaluate the risk of applying the patch to the live system",
    byWorker: false,
  },
  {
    number: 5,
    key: "apply",
    title: "Apply the patch with patch -p1 --ignore-whitespace",
    byWorker: false,
  },
  { number: 6, key: "commit", title: "Commit the update to the VCS", byWorker: false },
  { number: 7, key: "tarball", title: "Create a new source tarball", byWorker: false },
  {
    number: 8,
    key: "push-strings",
    title: "Push new message strings to the translation server",
    byWorker: false,
  },
  {
    number: 9,
    key: "pull-translations",
    title: "Pull translations and reload the web server",
    byWorker: false,
  },
  {
    number: 10,
    key: "notify",
    title: "Send the signed notification to the system-log list",
    byWorker: true,
  },
  {
    number: 11,
    key: "bug-update",
    title: "Set the bug to “Solved?” with a pointer to the notification",
    byWorker: true,
  },
  {
    number: 12,
    key: "reply",
    title: "Reply to the assessment team, forwarding the notification",
    byWorker: true,
  },
  {
    number: 13,
    key: "mirror",
    title: "Mirror the new source tarball to the test servers",
    byWorker: true,
  },
];

/**
 * The service step 4 may stop and the end of the process starts again: the web
 * server on webdb, the signing process on the signing server (the seed's
 * "service commmodule stop").
 */
export const SERVICE: Record<TProcedure, { name: string; stop: string; start: string }> = {
  WEBDB: {
    name: "web server",
    stop: "sudo service apache2 stop",
    start: "sudo service apache2 start",
  },
  SIGNING_SERVER: {
    name: "signing process",
    stop: "service commmodule stop",
    start: "service commmodule start",
  },
};

/** Steps 10–13: performed by the worker through the outbox, never ticked by hand. */
export const isWorkerStep = (number: number): boolean => STEPS[number - 1]?.byWorker ?? false;

/** P6: on the signing server, 1, 2, 10, 11, 12 always; 8, 9 (and the mirroring) never; 3–7 as the situation needs. */
export function applicability(procedure: TProcedure, number: number): TApplicability {
  if (procedure === "WEBDB") return "ALWAYS";
  if ([1, 2, 10, 11, 12].includes(number)) return "ALWAYS";
  if (number >= 3 && number <= 7) return "SITUATIONAL";
  return "NEVER";
}

export type TStepFact = {
  number: number;
  applicability: TApplicability;
  applicable: boolean;
  /** Set once someone decided a situational step, with a reason. */
  decided: boolean;
  status: TStepStatus;
};

export type TVisitFact = { userId: string; role: "CRITICAL_ADMIN" | "ACCESS_ENGINEER" };

/** P6: two distinct critical admins and one access engineer signed their presence. */
export function visitQuorum(presence: TVisitFact[]) {
  const admins = new Set(presence.filter((p) => p.role === "CRITICAL_ADMIN").map((p) => p.userId));
  const engineers = new Set(
    presence
      .filter((p) => p.role === "ACCESS_ENGINEER" && !admins.has(p.userId))
      .map((p) => p.userId),
  );
  return {
    criticalAdmins: admins.size,
    accessEngineers: engineers.size,
    met: admins.size >= 2 && engineers.size >= 1,
  };
}

/**
 * Throws why step `number` cannot be ticked by hand now, or returns quietly:
 * steps go strictly in order, nothing moves after a failure, worker steps are
 * not ticked by hand, and the signing server needs its visit and its decisions
 * on steps 3–7 first.
 */
export function assertMayTick(
  procedure: TProcedure,
  recordState: "OPEN" | "COMPLETED" | "FAILED",
  steps: TStepFact[],
  number: number,
  visitMet: boolean,
): void {
  if (recordState === "FAILED")
    throw new AppError(
      "FORBIDDEN",
      "The deployment failed; nothing after the failed step can be ticked.",
    );
  if (recordState === "COMPLETED") throw new AppError("CONFLICT", "The deployment is complete.");
  const step = steps.find((s) => s.number === number);
  if (!step) throw new AppError("NOT_FOUND", `There is no step ${number}.`);
  if (isWorkerStep(number))
    throw new AppError(
      "FORBIDDEN",
      `Step ${number} is performed by the worker once the earlier steps are done.`,
    );
  if (step.status !== "PENDING")
    throw new AppError("CONFLICT", `Step ${number} was already recorded.`);
  if (!step.applicable)
    throw new AppError("FORBIDDEN", `Step ${number} does not apply to this deployment.`);
  if (procedure === "SIGNING_SERVER") {
    if (!visitMet) {
      throw new AppError(
        "FORBIDDEN",
        "Record the visit first: two critical admins and one access engineer sign their presence.",
      );
    }
    const undecided = steps
      .filter((s) => s.applicability === "SITUATIONAL" && !s.decided)
      .map((s) => s.number);
    if (undecided.length)
      throw new AppError(
        "FORBIDDEN",
        `Decide first whether steps ${undecided.join(", ")} apply, with a reason.`,
      );
  }
  const open = steps.find((s) => s.number < number && s.applicable && s.status !== "DONE");
  if (open)
    throw new AppError("FORBIDDEN", `Step ${open.number} comes first: steps are ticked in order.`);
}

/** What handStepsDone() reads of a step: a database row, a dossier's step and a page's view all have it. */
export type THandStep = Pick<TStepFact, "number" | "applicable" | "status">;

/** The admin's part is done when every applicable hand step is DONE. */
export function handStepsDone(steps: readonly THandStep[]): boolean {
  return steps.every((s) => !s.applicable || isWorkerStep(s.number) || s.status === "DONE");
}

/** The last applicable hand step: where the admin confirms a stopped service runs again. */
export function restartStep(steps: readonly Pick<TStepFact, "number" | "applicable">[]): number {
  return Math.max(
    0,
    ...steps.filter((s) => s.applicable && !isWorkerStep(s.number)).map((s) => s.number),
  );
}

/**
 * Steps done of steps that apply, as every page counts them: the progress bar,
 * the patch page's timeline and the patch list. A failed step is recorded but
 * not done; worker steps count once the worker did them.
 */
export function stepProgress(
  steps: readonly Pick<TStepFact, "number" | "applicable" | "status">[],
) {
  const applicable = steps.filter((s) => s.applicable && s.status !== "NOT_APPLICABLE");
  return {
    done: applicable.filter((s) => s.status === "DONE").length,
    failed: applicable.filter((s) => s.status === "FAILED").length,
    total: applicable.length,
  };
}

/** The commit message the seed recommends: the bug number and its short description. */
export function commitMessage(bugId: string, bugSummary: string): string {
  return `Fix for bug #${bugId}\n"${bugSummary}".`;
}

export function sha256sumLine(sha256: string, fileName: string): string {
  return `${sha256}  ${fileName}`;
}
