import { AppError } from "../errors";
import type { TRole } from "./roles";
import { can } from "./permissions";

// The standard patch process (P1, P3, P5) as pure rules. The stored state of a
// patch is always derivePatchState() of its facts; use-cases recompute it after
// every change and write it with a guarded update.

export const PATCH_STATES = [
  "DRAFT",
  "IN_REVIEW",
  "IN_TEST",
  "BLOCKED",
  "READY",
  "REQUESTED",
  "DEPLOYING",
  "DEPLOYED",
  "REWORK",
  "WITHDRAWN",
] as const;
export type TPatchState = (typeof PATCH_STATES)[number];

export type TSignoffKind = "SUBMIT" | "REVIEW" | "TEST" | "REQUEST";
export type TVerdict = "SUBMIT" | "APPROVE" | "REJECT" | "PASS" | "FAIL" | "REQUEST";

export type TSignoffFact = {
  kind: TSignoffKind;
  verdict: TVerdict;
  signerId: string;
  revision: number;
};

export type TPatchFacts = {
  authorId: string;
  revision: number;
  revisionUploaderId: string;
  /** Who uploaded any revision of this patch, the earlier ones too: they wrote part of the code. */
  uploaderIds?: readonly string[];
  policy: { reviewsRequired: number; testsRequired: number };
  signoffs: TSignoffFact[];
  /** The deployment of the current revision, if one was opened. */
  deployment: null | { state: "OPEN" | "COMPLETED" | "FAILED"; installed: boolean };
  withdrawn?: boolean;
};

export type TGate = { have: number; need: number; met: boolean; signers: string[] };
export type TPatchStatus = {
  state: TPatchState;
  gates: { reviews: TGate; tests: TGate };
  blockers: TSignoffFact[];
};

export const VERDICTS: Record<TSignoffKind, TVerdict[]> = {
  SUBMIT: ["SUBMIT"],
  REVIEW: ["APPROVE", "REJECT"],
  TEST: ["PASS", "FAIL"],
  REQUEST: ["REQUEST"],
};

const GATE_KIND_PERMISSION = { REVIEW: "patch:review", TEST: "patch:test" } as const;

/** People who may never count on this revision: the patch's author and whoever uploaded any of its revisions. */
export function authorsOf(f: TPatchFacts): Set<string> {
  return new Set([f.authorId, f.revisionUploaderId, ...(f.uploaderIds ?? [])]);
}

function gate(f: TPatchFacts, kind: "REVIEW" | "TEST", positive: TVerdict, need: number): TGate {
  const excluded = authorsOf(f);
  // Distinct people, current revision only: one person counts once.
  const signers = [
    ...new Set(
      f.signoffs
        .filter(
          (s) =>
            s.revision === f.revision &&
            s.kind === kind &&
            s.verdict === positive &&
            !excluded.has(s.signerId),
        )
        .map((s) => s.signerId),
    ),
  ];
  return { have: signers.length, need, met: signers.length >= need, signers };
}

export function derivePatchState(f: TPatchFacts): TPatchStatus {
  const reviews = gate(f, "REVIEW", "APPROVE", f.policy.reviewsRequired);
  const tests = gate(f, "TEST", "PASS", f.policy.testsRequired);
  const current = f.signoffs.filter((s) => s.revision === f.revision);
  const blockers = current.filter((s) => s.verdict === "REJECT" || s.verdict === "FAIL");
  const state = ((): TPatchState => {
    if (f.withdrawn) return "WITHDRAWN";
    if (f.deployment?.state === "FAILED") return "REWORK";
    if (f.deployment?.installed) return "DEPLOYED";
    if (f.deployment) return "DEPLOYING";
    if (current.some((s) => s.kind === "REQUEST")) return "REQUESTED";
    if (!current.some((s) => s.kind === "SUBMIT")) return "DRAFT";
    if (blockers.length > 0) return "BLOCKED";
    if (!reviews.met) return "IN_REVIEW";
    if (!tests.met) return "IN_TEST";
    return "READY";
  })();
  return { state, gates: { reviews, tests }, blockers };
}

const VOTING_STATES: TPatchState[] = ["IN_REVIEW", "IN_TEST", "BLOCKED", "READY"];

/**
 * Throws the reason this person may not make this sign-off now (FORBIDDEN for
 * role, authorship or state; CONFLICT for a second vote), or returns quietly.
 */
export function assertMaySignoff(
  f: TPatchFacts,
  actor: { id: string; roles: readonly TRole[] },
  kind: TSignoffKind,
  verdict: TVerdict,
): void {
  if (!VERDICTS[kind].includes(verdict)) {
    throw new AppError(
      "VALIDATION",
      `A ${kind.toLowerCase()} sign-off cannot have the verdict ${verdict.toLowerCase()}.`,
    );
  }
  const { state } = derivePatchState(f);
  const isAuthor = authorsOf(f).has(actor.id);
  const current = f.signoffs.filter((s) => s.revision === f.revision);

  if (kind === "SUBMIT") {
    if (actor.id !== f.revisionUploaderId)
      throw new AppError(
        "FORBIDDEN",
        "Only the person who uploaded this revision signs its submission.",
      );
    if (!can(actor.roles, "patch:submit"))
      throw new AppError("FORBIDDEN", "Submitting patches needs the developer or assessor role.");
    if (state !== "DRAFT") throw new AppError("CONFLICT", "This revision was already submitted.");
    return;
  }

  if (isAuthor)
    throw new AppError(
      "FORBIDDEN",
      "The author of a patch never signs its reviews, tests or request.",
    );

  if (kind === "REVIEW" || kind === "TEST") {
    if (!can(actor.roles, GATE_KIND_PERMISSION[kind])) {
      throw new AppError(
        "FORBIDDEN",
        kind === "REVIEW"
          ? "Reviews are signed by approved assessors."
          : "Test results are signed by approved testers.",
      );
    }
    if (!VOTING_STATES.includes(state)) {
      throw new AppError(
        "FORBIDDEN",
        `The patch is ${state.toLowerCase().replace("_", " ")}: no ${kind.toLowerCase()} can be signed now.`,
      );
    }
    const earlier = current.find(
      (s) => s.signerId === actor.id && (s.kind === "REVIEW" || s.kind === "TEST"),
    );
    if (earlier) {
      throw new AppError(
        "CONFLICT",
        `You already signed a ${earlier.kind.toLowerCase()} of this revision; one person counts once.`,
      );
    }
    return;
  }

  // REQUEST (P1): the signed request to the critical admins, by an assessor.
  if (!can(actor.roles, "patch:request"))
    throw new AppError("FORBIDDEN", "The patch request is signed by an approved assessor.");
  if (state === "REQUESTED") throw new AppError("CONFLICT", "The request was already signed.");
  if (state !== "READY")
    throw new AppError(
      "FORBIDDEN",
      `Both gates must be met before the request; the patch is ${state.toLowerCase().replace("_", " ")}.`,
    );
}
