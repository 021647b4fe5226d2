import "server-only";
import { db, type Prisma } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { can } from "../../domain/permissions";
import {
  assertMaySignoff,
  derivePatchState,
  type TPatchFacts,
  type TPatchState,
  type TSignoffKind,
  type TVerdict,
} from "../../domain/patch-state";
import { deploySeparation } from "../../domain/deploy-separation";
import { buildPatchFacts } from "../../domain/patch-facts";
import { fastPathOf } from "./fast-path";

export type TQueueReason = "submit" | "rework" | "review" | "test" | "request" | "deploy";
export type TQueueItem = {
  id: string;
  number: number;
  title: string;
  state: TPatchState;
  system: string;
  author: string;
  revision: number;
  reviews: { have: number; need: number };
  tests: { have: number; need: number };
  updatedAt: Date;
};

const LIMIT = 200;

const QUEUE_INCLUDE = {
  system: { select: { slug: true, reviewsRequired: true, testsRequired: true } },
  author: { select: { name: true } },
  revisions: { select: { number: true, uploadedById: true, diffSha256: true } },
  signoffs: {
    select: {
      kind: true,
      verdict: true,
      signerId: true,
      reviewsRequired: true,
      testsRequired: true,
      revision: { select: { number: true } },
    },
  },
} satisfies Prisma.PatchInclude;

/** Whether the pure rules would let this person sign this now (the server re-checks at signing). */
function may(
  facts: TPatchFacts,
  person: { id: string; roles: Parameters<typeof assertMaySignoff>[1]["roles"] },
  kind: TSignoffKind,
  verdict: TVerdict,
) {
  try {
    assertMaySignoff(facts, person, kind, verdict);
    return true;
  } catch {
    return false;
  }
}

/**
 * "Waiting for me": per role, the patches that need this person now. Uses the
 * same rules as the sign-off itself, so nobody is asked for a vote that could
 * not count (authors, second votes, gates already met).
 */
export async function listQueue({
  actor,
}: {
  actor: TActor;
}): Promise<Record<TQueueReason, TQueueItem[]>> {
  const person = requirePerson(actor);
  authorize(person, "patch:read");
  // Per role, the states that may need this person. Drafts and patches to rework need only
  // who wrote them: other people's are never read (abandoned drafts pile up over the years,
  // and the first LIMIT rows must not be theirs, or a patch waiting for review falls off).
  // Separate queries, not one with OR: each can use its own index (authorId, a revision's
  // uploadedById, state) instead of walking the patch table in number order.
  const states: TPatchState[] = [];
  if (can(person.roles, "patch:review") || can(person.roles, "patch:test"))
    states.push("IN_REVIEW", "IN_TEST");
  if (can(person.roles, "patch:request")) states.push("READY");
  if (can(person.roles, "deploy:tick")) states.push("REQUESTED", "DEPLOYING");
  const read = (where: Prisma.PatchWhereInput) =>
    db.patch.findMany({ where, orderBy: { number: "asc" }, take: LIMIT, include: QUEUE_INCLUDE });
  const writes = can(person.roles, "patch:submit");
  const ownStates: Prisma.PatchWhereInput = { state: { in: ["DRAFT", "REWORK", "BLOCKED"] } };
  const found = await Promise.all([
    writes ? read({ ...ownStates, authorId: person.id }) : [],
    writes ? read({ ...ownStates, revisions: { some: { uploadedById: person.id } } }) : [],
    states.length ? read({ state: { in: states } }) : [],
  ]);
  // Merged in number order, once each (a patch can be the person's by both ways), as one query would give.
  const byId = new Map(found.flat().map((p) => [p.id, p]));
  const rows = [...byId.values()].sort((a, b) => a.number - b.number).slice(0, LIMIT);

  const out: Record<TQueueReason, TQueueItem[]> = {
    submit: [],
    rework: [],
    review: [],
    test: [],
    request: [],
    deploy: [],
  };
  for (const p of rows) {
    // Option 1's patch: its gates are its sign-offs, and nobody signs one off here (E3).
    const fastPath = await fastPathOf(db, p, p.revisions);
    const facts = buildPatchFacts({
      authorId: p.authorId,
      revision: p.currentRevision,
      revisions: p.revisions,
      policy: p.system,
      signoffs: [
        ...p.signoffs.map((s) => ({ ...s, revision: s.revision.number })),
        ...(fastPath?.signoffs ?? []),
      ],
      ...(fastPath ? { fastPath: { emergencyNumber: fastPath.emergencyNumber } } : {}),
      // Deployments aren't read here: the queue asks for votes and requests, made before one opens.
      deployment: null,
      withdrawn: p.withdrawalId !== null,
    });
    const uploader = facts.revisionUploaderId;
    const { gates } = derivePatchState(facts);
    const item: TQueueItem = {
      id: p.id,
      number: p.number,
      title: p.title,
      state: p.state,
      system: p.system.slug,
      author: p.author.name,
      revision: p.currentRevision,
      reviews: { have: gates.reviews.have, need: gates.reviews.need },
      tests: { have: gates.tests.have, need: gates.tests.need },
      updatedAt: p.updatedAt,
    };
    const mine = p.authorId === person.id || uploader === person.id;
    if (p.state === "DRAFT" && uploader === person.id) out.submit.push(item);
    if ((p.state === "REWORK" || p.state === "BLOCKED") && mine) out.rework.push(item);
    if (p.state === "IN_REVIEW" && !gates.reviews.met && may(facts, person, "REVIEW", "APPROVE"))
      out.review.push(item);
    if (
      (p.state === "IN_REVIEW" || p.state === "IN_TEST") &&
      !gates.tests.met &&
      may(facts, person, "TEST", "PASS")
    )
      out.test.push(item);
    if (p.state === "READY" && may(facts, person, "REQUEST", "REQUEST")) out.request.push(item);
    // X3: a patch this admin worked on waits for another critical admin, not for them.
    if (
      (p.state === "REQUESTED" || p.state === "DEPLOYING") &&
      can(person.roles, "deploy:tick") &&
      !deploySeparation(facts, person.id)
    )
      out.deploy.push(item);
  }
  return out;
}
