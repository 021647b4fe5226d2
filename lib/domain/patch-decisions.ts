import type { TRole } from "./roles";
import { can } from "./permissions";
import {
  derivePatchState,
  signoffDecision,
  stateWords,
  VERDICTS,
  type TDecision,
  type TPatchFacts,
  type TPatchState,
  type TVerdict,
} from "./patch-state";

// One predicate per decision on a patch. The use-case asserts it and the patch
// page offers what it allows, so no page restates a rule (the "late reject":
// the page once hid the review form after two approvals that the server still
// took). Sign-offs are decided by signoffDecision() in patch-state.ts.

type TPerson = { id: string; roles: readonly TRole[] };

const ALLOWED: TDecision = { ok: true };

/**
 * Not yet requested (or back from a failed apply): the states that take a new
 * revision, and whose gates count under the system's policy of today.
 */
export const NOT_REQUESTED_STATES: TPatchState[] = [
  "DRAFT",
  "IN_REVIEW",
  "IN_TEST",
  "BLOCKED",
  "READY",
  "REWORK",
];

/** The patch's author (with the developer or assessor role) or any assessor uploads a new revision. */
export function revisionDecision(f: TPatchFacts, actor: TPerson): TDecision {
  if (!can(actor.roles, "patch:submit"))
    return {
      ok: false,
      code: "FORBIDDEN",
      message: "Uploading a revision needs the developer or assessor role.",
    };
  if (f.authorId !== actor.id && !can(actor.roles, "patch:review"))
    return {
      ok: false,
      code: "FORBIDDEN",
      message: "Only the patch's author or an assessor uploads a new revision.",
    };
  const { state } = derivePatchState(f);
  if (!NOT_REQUESTED_STATES.includes(state))
    return {
      ok: false,
      code: "FORBIDDEN",
      message: `The patch is ${stateWords(state)}; it takes no new revision.`,
    };
  return ALLOWED;
}

/**
 * The author or an assessor withdraws a patch that is not deployed. A patch
 * under deployment is refused too: the critical admins finish or fail the
 * record first, so nothing is half-installed under a withdrawn patch.
 */
export function withdrawDecision(f: TPatchFacts, actor: TPerson): TDecision {
  if (f.authorId !== actor.id && !can(actor.roles, "patch:review"))
    return {
      ok: false,
      code: "FORBIDDEN",
      message: "Only the patch's author or an assessor withdraws a patch.",
    };
  const { state } = derivePatchState(f);
  if (state === "WITHDRAWN")
    return { ok: false, code: "CONFLICT", message: "The patch was already withdrawn." };
  // Option 1's patch belongs to its emergency's ladder (E3): leaving it is a move there,
  // signed on the emergency, so the public log says why the fast path was left.
  if (f.fastPath)
    return {
      ok: false,
      code: "FORBIDDEN",
      message: `This patch is on emergency #${f.fastPath.emergencyNumber}'s fast path: it cannot be withdrawn here; record option 1 unfit on the emergency's page instead.`,
    };
  if (state === "DEPLOYED")
    return {
      ok: false,
      code: "FORBIDDEN",
      message: "The patch is deployed; a deployed patch cannot be withdrawn.",
    };
  if (state === "DEPLOYING")
    return {
      ok: false,
      code: "FORBIDDEN",
      message:
        "The patch is being deployed; it can be withdrawn once the deployment record has failed.",
    };
  return ALLOWED;
}

export type TPatchOffers = {
  submit: boolean;
  /** The verdicts this person may sign now; empty when none. */
  review: TVerdict[];
  test: TVerdict[];
  request: boolean;
  revise: boolean;
  withdraw: boolean;
};

/** Nothing: what a caller who is not a person (the CLI, the worker) is offered. */
export const NO_OFFERS: TPatchOffers = {
  submit: false,
  review: [],
  test: [],
  request: false,
  revise: false,
  withdraw: false,
};

/** Everything this person may do with the patch now: what the patch page offers, and nothing else. */
export function patchOffers(f: TPatchFacts, actor: TPerson): TPatchOffers {
  const verdicts = (kind: "REVIEW" | "TEST") =>
    VERDICTS[kind].filter((v) => signoffDecision(f, actor, kind, v).ok);
  return {
    submit: signoffDecision(f, actor, "SUBMIT", "SUBMIT").ok,
    review: verdicts("REVIEW"),
    test: verdicts("TEST"),
    request: signoffDecision(f, actor, "REQUEST", "REQUEST").ok,
    revise: revisionDecision(f, actor).ok,
    withdraw: withdrawDecision(f, actor).ok,
  };
}
