import { z } from "zod";
import { cleanId, intId } from "../domain/input-hygiene";

// Route segments are input like any other: parsed, never trusted.
export const ZPatchParams = z.object({
  id: cleanId().meta({
    description:
      "The patch's id (not its number); a longer one, control characters or bidi controls are a 400, as in every typed field.",
  }),
});
export const ZStepParams = ZPatchParams.extend({ n: z.coerce.number().int().min(1).max(13) });

/** GET /patches/{id}/diff: which revision; the current one when absent. */
export const ZDiffQuery = z.object({
  revision: intId().optional().meta({ description: "Default: the current revision." }),
});

export type TPatchContext = { params: Promise<{ id: string }> };
export type TStepContext = { params: Promise<{ id: string; n: string }> };

export async function patchIdOf(context: TPatchContext): Promise<string> {
  return ZPatchParams.parse(await context.params).id;
}

export async function stepOf(context: TStepContext): Promise<{ id: string; n: number }> {
  return ZStepParams.parse(await context.params);
}

/** The query string's named parameters; an absent one is undefined, so zod defaults apply. */
export function queryOf(
  request: Request,
  names: readonly string[],
): Record<string, string | undefined> {
  const params = new URL(request.url).searchParams;
  return Object.fromEntries(names.map((name) => [name, params.get(name) ?? undefined]));
}

export const ZSystemParams = z.object({
  slug: cleanId().meta({ description: "The system's slug." }),
});
export type TSystemContext = { params: Promise<{ slug: string }> };

export async function systemSlugOf(context: TSystemContext): Promise<string> {
  return ZSystemParams.parse(await context.params).slug;
}

export const ZHotfixParams = z.object({
  name: z
    .string()
    .regex(/^hotfix_[a-z0-9_]{1,200}$/, "a hotfix name: hotfix_<component>_<description>")
    .meta({ description: "The hotfix's registered name, hotfix_<component>_<description>." }),
});
export const ZHotfixServerParams = ZHotfixParams.extend({
  slug: cleanId().meta({ description: "The server's slug." }),
});
export type THotfixContext = { params: Promise<{ name: string }> };
export type THotfixServerContext = { params: Promise<{ name: string; slug: string }> };

export async function hotfixNameOf(context: THotfixContext): Promise<string> {
  return ZHotfixParams.parse(await context.params).name;
}

export async function hotfixServerOf(
  context: THotfixServerContext,
): Promise<{ name: string; slug: string }> {
  return ZHotfixServerParams.parse(await context.params);
}

export const ZEmergencyParams = z.object({
  number: intId().meta({ description: "The emergency's number (#N on its page)." }),
});
export type TEmergencyContext = { params: Promise<{ number: string }> };

export async function emergencyNumberOf(context: TEmergencyContext): Promise<number> {
  return ZEmergencyParams.parse(await context.params).number;
}

export const ZDisputeParams = z.object({
  number: intId().meta({ description: "The dispute's number (#N on its page)." }),
});
export type TDisputeContext = { params: Promise<{ number: string }> };

export async function disputeNumberOf(context: TDisputeContext): Promise<number> {
  return ZDisputeParams.parse(await context.params).number;
}
