import { expect } from "vitest";
import type { z } from "zod";

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
