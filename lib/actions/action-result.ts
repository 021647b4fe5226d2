import { z, ZodError } from "zod";
import { isAppError, describeZodIssues } from "../errors";
import { isDatabaseUnavailable } from "../server/prisma-errors";

/** What a form shows while PostgreSQL restarts (the API says the same with 503 UNAVAILABLE). */
export const DATABASE_UNREACHABLE =
  "The portal's database is unreachable; nothing was changed. Try again shortly.";

// What a server action returns to its form: never a thrown error, so the page
// can show the message; never internals. `code` is the AppError code (VALIDATION
// for a zod error, INTERNAL otherwise), so callers and the authorization matrix
// (e2e/security/) tell a refusal from a validation error without reading text.
export type TActionResult<T = undefined> =
  { ok: true; data?: T; message?: string } | { ok: false; error: string; code?: string } | null;

export async function toActionResult<T>(
  fn: () => Promise<T>,
  message?: string,
): Promise<TActionResult<T>> {
  try {
    const data = await fn();
    return { ok: true, data, message };
  } catch (e) {
    if (isAppError(e)) return { ok: false, error: e.message, code: e.code };
    if (e instanceof ZodError)
      return { ok: false, error: describeZodIssues(e.issues), code: "VALIDATION" };
    if (isDatabaseUnavailable(e))
      return { ok: false, error: DATABASE_UNREACHABLE, code: "UNAVAILABLE" };
    console.error(e);
    return {
      ok: false,
      error: "Something went wrong on the server; nothing was changed.",
      code: "INTERNAL",
    };
  }
}

/** FormData -> plain object of its string fields (files are handled separately). */
export function formFields(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") out[k] = v;
  return out;
}

/**
 * A form read into a use-case's own schema, so the action neither restates
 * the schema nor casts. Every field the schema names is read: empty or absent,
 * it is left unset where the schema allows that (optional fields stay unset,
 * defaults apply) and given as "" elsewhere, so the schema's own message for
 * an empty field is the one shown.
 */
export function parseForm<S extends z.ZodObject>(schema: S, form: FormData): z.output<S> {
  const fields = formFields(form);
  const input: Record<string, string | undefined> = {};
  for (const [name, field] of Object.entries(schema.shape)) {
    const value = fields[name] ?? "";
    input[name] = value === "" && z.safeParse(field, undefined).success ? undefined : value;
  }
  return schema.parse(input);
}
