import { z } from "zod";
import { AppError, describeZodIssues } from "../../errors";

/** A leaf index or tree size: a number, or its plain decimal text from a query string. */
export const ZLogCount = z.union([
  z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/, "a non-negative whole number")
    .transform(Number)
    .pipe(z.number().max(Number.MAX_SAFE_INTEGER)),
]);

export function parseQuery<T extends z.ZodTypeAny>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw new AppError("VALIDATION", describeZodIssues(r.error.issues));
  return r.data;
}
