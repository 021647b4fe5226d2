import { z } from "zod";
import { ZDateTime } from "./openapi-parts";
import { ZGate, ZPatchState } from "./patch-answers";

// GET /api/v1/queue's answer, "waiting for me": what lib/server/patches/list-queue.ts
// returns, as JSON spells it. The OpenAPI part and the route's test use it.

export const ZQueueItem = z
  .object({
    id: z.string(),
    number: z.number().int().meta({ description: "The number people see (#12)." }),
    title: z.string(),
    state: ZPatchState,
    system: z.string().meta({ description: "The target system's slug." }),
    author: z.string().meta({ description: "The author's name." }),
    revision: z.number().int(),
    reviews: ZGate,
    tests: ZGate,
    updatedAt: ZDateTime,
  })
  .meta({ id: "QueueItem", description: "A patch waiting for the caller." });

const list = (why: string) => z.array(ZQueueItem).meta({ description: why });

export const ZQueue = z
  .object({
    submit: list("Drafts whose current revision the caller uploaded: their submit statement."),
    rework: list("The caller's patches in REWORK or BLOCKED: a new revision or a withdrawal."),
    review: list("Patches in review whose review gate is open and the caller may approve."),
    test: list("Patches in review or test whose test gate is open and the caller may pass."),
    request: list("READY patches the caller may request for deployment."),
    deploy: list(
      "REQUESTED or DEPLOYING patches for a critical admin who did not work on them (X3).",
    ),
  })
  .meta({
    id: "Queue",
    description:
      "Waiting for me, per reason, each in patch-number order (at most 200 patches in all). The same rules as the sign-off itself decide, so nobody is asked for a vote that could not count.",
  });
