// The public probes in the OpenAPI document: health and this document itself;
// openapi.ts merges it in.
import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { json } from "./openapi-parts";

/** What GET /api/health answers (lib/server/health/check-health.ts). */
export const ZHealth = z
  .object({
    db: z.enum(["ok", "down"]),
    redis: z.enum(["ok", "down"]),
    worker: z.enum(["ok", "stale"]),
  })
  .meta({ id: "Health" });

export const HEALTH_PATHS = {
  "/api/health": {
    get: {
      summary: "PostgreSQL, Redis and worker health (db and redis decide the status)",
      security: [],
      responses: {
        "200": json("Both answer.", ZHealth),
        "503": json("One is down.", ZHealth),
      },
    },
  },
  "/api/v1/openapi.json": {
    get: {
      summary: "This document",
      security: [],
      responses: {
        "200": json("The OpenAPI 3.1 document.", z.record(z.string(), z.unknown())),
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
