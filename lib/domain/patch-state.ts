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
  /** Option 1's patch: its gates are signed on this emergency, not as sign-offs (E3). */
  fastPath?: { emergencyNumber: number };
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

/** What the rules say about one decision: allowed, or the refusal the server gives. */
export type TDecision =
  { ok: true } | { ok: false; code: "FORBIDDEN" | "CONFLICT" | "VALIDATION"; message: string };

const ALLOWED: TDecision = { ok: true };
function refused(code: "FORBIDDEN" | "CONFLICT" | "VALIDATION", message: string): TDecision {
  return { ok: false, code, message };
}

/** Throws the refusal as the AppError every edge maps (403, 409 or 400), or returns quietly. */
export function assertDecision(d: TDecision): void {
  if (!d.ok) throw new AppError(d.code, d.message);
}

export function stateWords(state: TPatchState): string {
  return state.toLowerCase().replace("_", " ");
}

/**
 * Whether this person may make this sign-off now, and if not, why (FORBIDDEN
 * for role, authorship or state; CONFLICT for a second vote). The patch page
 * offers exactly the sign-offs this allows; the server refuses the others.
 */
export function signoffDecision(
  f: TPatchFacts,
  actor: { id: string; roles: readonly TRole[] },
  kind: TSignoffKind,
  verdict: TVerdict,
): TDecision {
  if (!VERDICTS[kind].includes(verdict)) {
    return refused(
      "VALIDATION",
      `A ${kind.toLowerCase()} sign-off cannot have the verdict ${verdict.toLowerCase()}.`,
    );
  }
  if (f.fastPath)
    return refused(
      "FORBIDDEN",
      `This patch is on emergency #${f.fastPath.emergencyNumber}'s fast path: its gates are signed on the emergency's page, in order.`,
    );
  const { state } = derivePatchState(f);
  const isAuthor = authorsOf(f).has(actor.id);
  const current = f.signoffs.filter((s) => s.revision === f.revision);

  if (kind === "SUBMIT") {
    if (actor.id !== f.revisionUploaderId)
      return refused(
        "FORBIDDEN",
        "Only the person who uploaded this revision signs its submission.",
      );
    if (!can(actor.roles, "patch:submit"))
      return refused("FORBIDDEN", "Submitting patches needs the developer or assessor role.");
    if (state !== "DRAFT") return refused("CONFLICT", "This revision was already submitted.");
    return ALLOWED;
  }

  if (isAuthor)
    return refused("FORBIDDEN", "The author of a patch never signs its reviews, tests or request.");

  if (kind === "REVIEW" || kind === "TEST") {
    if (!can(actor.roles, GATE_KIND_PERMISSION[kind])) {
      return refused(
        "FORBIDDEN",
        kind === "REVIEW"
          ? "Reviews are signed by approved assessors."
          : "Test results are signed by approved testers.",
      );
    }
    // A reject or a fail is still welcome once both gates are met (READY): the
    // "late reject" of someone who has not voted yet blocks the request.
    if (!VOTING_STATES.includes(state)) {
      return refused(
        "FORBIDDEN",
        `The patch is ${stateWords(state)}: no ${kind.toLowerCase()} can be signed now.`,
      );
    }
    const earlier = current.find(
      (s) => s.signerId === actor.id && (s.kind === "REVIEW" || s.kind === "TEST"),
    );
    if (earlier) {
      return refused(
        "CONFLICT",
        `You already signed a ${earlier.kind.toLowerCase()} of this revision; one person counts once.`,
      );
    }
    return ALLOWED;
  }

  // REQUEST (P1): the signed request to the critical admins, by an assessor.
  if (!can(actor.roles, "patch:request"))
    return refused("FORBIDDEN", "The patch request is signed by an approved assessor.");
  if (state === "REQUESTED") return refused("CONFLICT", "The request was already signed.");
  if (state !== "READY")
    return refused(
      "FORBIDDEN",
      `Both gates must be met before the request; the patch is ${stateWords(state)}.`,
    );
  return ALLOWED;
}

/** signoffDecision() as a throw: the use-cases' form. */
export function assertMaySignoff(
  f: TPatchFacts,
  actor: { id: string; roles: readonly TRole[] },
  kind: TSignoffKind,
  verdict: TVerdict,
): void {
  assertDecision(signoffDecision(f, actor, kind, verdict));
}
