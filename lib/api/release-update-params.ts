import { NextResponse } from "next/server";
import { z } from "zod";
import { cleanId } from "../domain/input-hygiene";
import { isAppError } from "../errors";

// Route segments of the release-update routes (issue 14): parsed, never trusted.
export const ZUpdateParams = z.object({
  id: cleanId().meta({ description: "The release update's id (not its number)." }),
});
export const ZTemplateParams = z.object({
  slug: cleanId().meta({ description: "The template's slug." }),
});

export type TUpdateContext = { params: Promise<{ id: string }> };
export type TTemplateContext = { params: Promise<{ slug: string }> };

export async function updateIdOf(context: TUpdateContext): Promise<string> {
  return ZUpdateParams.parse(await context.params).id;
}

export async function templateSlugOf(context: TTemplateContext): Promise<string> {
  return ZTemplateParams.parse(await context.params).slug;
}

// The lists a refusal carries for scripts: each TODO left (section, line, text),
// the checks a pass still misses, the packages without a version, the sections
// an edit named that do not exist.
const DETAILS = ["todos", "missingChecks", "missing", "unknown"] as const;

/**
 * Runs a handler; a refusal carrying one of the lists above answers
 * `{ error: { code, message, details } }` so a script need not read the message.
 */
export async function withDetails(handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (e) {
    const details = isAppError(e) && e.details;
    if (!details || !DETAILS.some((k) => k in details)) throw e;
    const shown = Object.fromEntries(
      DETAILS.filter((k) => k in details).map((k) => [k, details[k]]),
    );
    return NextResponse.json(
      { error: { code: e.code, message: e.message, details: shown } },
      { status: e.status },
    );
  }
}
