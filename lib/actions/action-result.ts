import { ZodError } from "zod";
import { isAppError, describeZodIssues } from "../errors";

// What a server action returns to its form: never a thrown error, so the page
// can show the message; never internals.
export type TActionResult<T = undefined> =
  { ok: true; data?: T; message?: string } | { ok: false; error: string } | null;

export async function toActionResult<T>(
  fn: () => Promise<T>,
  message?: string,
): Promise<TActionResult<T>> {
  try {
    const data = await fn();
    return { ok: true, data, message };
  } catch (e) {
    if (isAppError(e)) return { ok: false, error: e.message };
    if (e instanceof ZodError) return { ok: false, error: describeZodIssues(e.issues) };
    console.error(e);
    return { ok: false, error: "Something went wrong on the server; nothing was changed." };
  }
}

/** FormData -> plain object of its string fields (files are handled separately). */
export function formFields(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") out[k] = v;
  return out;
}
