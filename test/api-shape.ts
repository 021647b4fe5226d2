import { expect } from "vitest";
import type { z } from "zod";
import { ZApiError } from "../lib/api/openapi-parts";
import { openApiDocument } from "../lib/api/openapi";

/**
 * An answer matches the schema the OpenAPI document gives for it, and has no
 * field the schema leaves out (parse strips unknown keys, so the round trip
 * would differ). Pass the answer as JSON gives it (dates as strings).
 */
export function expectShape(schema: z.ZodType, answer: unknown): void {
  const json = JSON.parse(JSON.stringify(answer));
  const parsed = schema.safeParse(json);
  expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  expect(parsed.data).toEqual(json);
}

/** A refusal: its status and code, in the error shape. Returns its message. */
export async function expectRefusal(res: Response, status: number, code: string): Promise<string> {
  const answer = await res.json();
  expect(res.status, JSON.stringify(answer)).toBe(status);
  expectShape(ZApiError, answer);
  expect(answer.error.code).toBe(code);
  return answer.error.message as string;
}

/** The statuses the OpenAPI document gives an operation (`method` in either case). */
export function documentedStatuses(docPath: string, method: string): string[] {
  const op = (openApiDocument.paths as Record<string, Record<string, { responses?: object }>>)[
    docPath
  ]?.[method.toLowerCase()];
  return Object.keys(op?.responses ?? {});
}
