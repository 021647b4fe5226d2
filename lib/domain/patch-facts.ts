import type { TPatchFacts, TSignoffFact } from "./patch-state";
import { handStepsDone, type THandStep } from "./procedures";

// The one place the facts derivePatchState() reads are put together. The
// portal (its database rows), the queue and the offline verifier (the
// dossier's JSON) each map their records to this shape and call
// buildPatchFacts(): three hand-written copies drifted once, when the queue
// and the verifier still counted the uploader of an earlier revision.

export type TPatchFactsSource = {
  authorId: string;
  /** The number of the current revision. */
  revision: number;
  /** Every revision of the patch; rows past the current one are ignored. */
  revisions: readonly { number: number; uploadedById: string }[];
  /** The system's policy today. */
  policy: { reviewsRequired: number; testsRequired: number };
  /**
   * Every sign-off of every revision: the rules pick the current revision's. A
   * request carries the policy in force when it was signed.
   */
  signoffs: readonly (TSignoffFact & {
    reviewsRequired?: number | null;
    testsRequired?: number | null;
  })[];
  /** The deployment opened for the current revision, with its steps, or null. */
  deployment: null | { state: "OPEN" | "COMPLETED" | "FAILED"; steps: readonly THandStep[] };
  withdrawn: boolean;
  /** Option 1's patch (lib/domain/emergency-fast-path.ts): its emergency's number. */
  fastPath?: { emergencyNumber: number };
};

export function buildPatchFacts(src: TPatchFactsSource): TPatchFacts {
  const upTo = src.revisions.filter((r) => r.number <= src.revision);
  // A requested revision keeps the policy it was requested under: a later change
  // of the system's policy applies to patches not yet requested.
  const request = src.signoffs.find((s) => s.kind === "REQUEST" && s.revision === src.revision);
  const policy =
    request?.reviewsRequired != null && request.testsRequired != null
      ? { reviewsRequired: request.reviewsRequired, testsRequired: request.testsRequired }
      : src.policy;
  return {
    authorId: src.authorId,
    revision: src.revision,
    // The author uploads the first revision: a missing row stands for theirs.
    revisionUploaderId: upTo.find((r) => r.number === src.revision)?.uploadedById ?? src.authorId,
    // Whoever uploaded this or an earlier revision wrote part of the code (P5).
    uploaderIds: upTo.map((r) => r.uploadedById),
    policy: { reviewsRequired: policy.reviewsRequired, testsRequired: policy.testsRequired },
    signoffs: src.signoffs.map((s) => ({
      kind: s.kind,
      verdict: s.verdict,
      signerId: s.signerId,
      revision: s.revision,
    })),
    deployment: src.deployment && {
      state: src.deployment.state,
      installed: handStepsDone(src.deployment.steps),
    },
    withdrawn: src.withdrawn,
    ...(src.fastPath ? { fastPath: src.fastPath } : {}),
  };
}
