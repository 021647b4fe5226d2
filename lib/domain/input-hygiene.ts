import { z } from "zod";
import { BIDI_CONTROL, CONTROL_EXCEPT_TAB_LF, describeChar } from "./hidden-chars";

// Typed input (form fields, JSON strings, path segments, query values, CLI
// options) is parsed with these helpers, so a NUL that PostgreSQL would refuse
// (a 500), an escape sequence for a terminal or a bidi control that makes text
// read differently is a 400 naming the field. File contents (diffs, keys,
// signatures, packages) are not typed input: they keep their own checks.

/** PostgreSQL's int4: larger numbers make the query fail rather than find nothing. */
export const PG_INT_MAX = 2_147_483_647;
/** PostgreSQL's int8 (the audit log's sequence). */
export const PG_BIGINT_MAX = 9_223_372_036_854_775_807n;

const LINE_BREAK = /[\n\r]/;

/** The first character typed input may not hold, or null. */
export function forbiddenChar(value: string, { multiline }: { multiline: boolean }): string | null {
  for (const ch of value) {
    if (CONTROL_EXCEPT_TAB_LF.test(ch) || BIDI_CONTROL.test(ch)) return ch;
    if (!multiline && LINE_BREAK.test(ch)) return ch;
  }
  return null;
}

function refuseHidden(multiline: boolean) {
  return (ctx: z.core.ParsePayload<string>) => {
    const ch = forbiddenChar(ctx.value, { multiline });
    if (ch === null) return;
    const what = LINE_BREAK.test(ch)
      ? "must be a single line"
      : `must not contain ${BIDI_CONTROL.test(ch) ? "the bidi control" : "the control character"} ${describeChar(ch)}`;
    ctx.issues.push({ code: "custom", message: what, input: ctx.value });
  };
}

/**
 * A single line of typed text (a title, a name, an id, a query value): no
 * controls except tab, no line breaks, no bidi controls. Chain as usual:
 * `cleanLine().trim().min(1).max(200)`.
 */
export function cleanLine() {
  return z.string().check(refuseHidden(false));
}

/**
 * Typed text of several lines (a summary, a comment, a reason): CRLF and CR
 * become LF (browsers send a textarea with CRLF), then tab and LF are the only
 * controls allowed, and no bidi controls.
 */
export function cleanText() {
  return z
    .string()
    .overwrite((s) => s.replace(/\r\n?/g, "\n"))
    .check(refuseHidden(true));
}

/** An opaque string id (a cuid, a slug) from a path, a form or a body. */
export function cleanId(max = 64) {
  return cleanLine().min(1).max(max);
}

/** A positive whole number that fits PostgreSQL's int4 (a patch number, a revision), from text or JSON. */
export function intId() {
  return z.coerce.number().int().min(1).max(PG_INT_MAX, `must be at most ${PG_INT_MAX}`);
}

/** Like intId() but only a JSON number, never coerced from text. */
export function safeInt({ min = 1, max = PG_INT_MAX }: { min?: number; max?: number } = {}) {
  return z.number().int().min(min).max(Math.min(max, PG_INT_MAX));
}
