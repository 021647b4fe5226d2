import type { THotfixComponent } from "./hotfix-name";

// H3: the staged rollout. A frontend hotfix goes to a front end first, a backend
// one to a back end first, a common one to any server; the rest of the fleet
// waits until that first application is verified. One table decides it for the
// portal (refusing an apply), the CLI (printing why) and the rollout picture.

export type TServerRole = "FRONTEND" | "BACKEND";
export type TApplicationState = "APPLIED" | "VERIFIED" | "FAILED" | "UNAPPLIED";

export type TStagingHotfix = {
  product: string;
  version: string;
  component: THotfixComponent;
  released: boolean;
};
export type TStagingServer = { slug: string; role: TServerRole; product: string; version: string };
/** The latest application of this hotfix on each server that has one. */
export type TStagingApplication = { server: string; role: TServerRole; state: TApplicationState };

export type TStagingDecision =
  | { ok: true; first: boolean }
  | {
      ok: false;
      code: "NOT_RELEASED" | "WRONG_TARGET" | "ALREADY_APPLIED" | "WAITING" | "WRONG_ROLE";
      reason: string;
    };

const FIRST_ROLE: Record<THotfixComponent, TServerRole | null> = {
  frontend: "FRONTEND",
  backend: "BACKEND",
  common: null,
};

const LIVE: readonly TApplicationState[] = ["APPLIED", "VERIFIED"];

/** The server whose application opens the rollout: the earliest still live. */
export function firstApplication(
  applications: readonly TStagingApplication[],
): TStagingApplication | undefined {
  return applications.find((a) => LIVE.includes(a.state));
}

/**
 * May this hotfix be applied to this server now? `applications` are the latest
 * application per server, oldest first.
 */
export function mayApply(
  hotfix: TStagingHotfix,
  server: TStagingServer,
  applications: readonly TStagingApplication[],
): TStagingDecision {
  if (!hotfix.released)
    return {
      ok: false,
      code: "NOT_RELEASED",
      reason:
        "The hotfix is not released: a critical admin or assessor other than the uploader must sign its release first.",
    };
  if (server.product !== hotfix.product || server.version !== hotfix.version)
    return {
      ok: false,
      code: "WRONG_TARGET",
      reason: `The hotfix is for ${hotfix.product} ${hotfix.version}; server ${server.slug} runs ${server.product} ${server.version}.`,
    };
  const own = applications.find((a) => a.server === server.slug);
  if (own && LIVE.includes(own.state))
    return {
      ok: false,
      code: "ALREADY_APPLIED",
      reason: `The hotfix is already applied to ${server.slug} (${own.state.toLowerCase()}).`,
    };
  const first = firstApplication(applications);
  if (!first) {
    const role = FIRST_ROLE[hotfix.component];
    if (role && server.role !== role)
      return {
        ok: false,
        code: "WRONG_ROLE",
        reason: `A ${hotfix.component} hotfix goes to a ${roleName(role)} first; ${server.slug} is a ${roleName(server.role)}.`,
      };
    return { ok: true, first: true };
  }
  if (first.state !== "VERIFIED")
    return {
      ok: false,
      code: "WAITING",
      reason: `The first application, on ${first.server}, is not verified yet: the other servers wait until a critical admin signs its verification.`,
    };
  return { ok: true, first: false };
}

export function roleName(role: TServerRole): string {
  return role === "FRONTEND" ? "front end" : "back end";
}
