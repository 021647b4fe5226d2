// "Waiting for me" in the OpenAPI document (issue 18: the queue the dashboard
// shows, for scripts and `patchgate queue`); openapi.ts merges it in.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { ZQueue } from "./queue-shape";
import { E401, E403, json } from "./openapi-parts";

export const QUEUE_PATHS = {
  "/api/v1/queue": {
    get: {
      summary: "What waits for me: patches to submit, rework, review, test, request or deploy",
      description:
        "The dashboard's list for the token's owner, by the same rules the sign-offs are checked with. To find one patch by the number people see, use `GET /api/v1/patches?number=N`.",
      responses: {
        "200": json("Per reason, the patches that need the caller now.", ZQueue),
        "401": E401,
        "403": E403,
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
