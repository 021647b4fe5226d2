import { z } from "zod";
import { cleanId, cleanLine } from "../domain/input-hygiene";

// Route segments and bodies of the per-series verification routes (S3), parsed at the edge;
// the use-cases parse every field again.
export type TSeriesContext = { params: Promise<{ id: string; series: string }> };
export type THostContext = { params: Promise<{ host: string }> };

export const ZSeriesParams = z.object({
  id: cleanId().meta({ description: "The update record's id." }),
  series: cleanLine()
    .min(1)
    .max(40)
    .meta({ description: "One of the record's target series, e.g. `jammy`." }),
});
export const ZHostParams = z.object({ host: cleanLine().min(1).max(300) });

export async function seriesOf(context: TSeriesContext): Promise<{ id: string; series: string }> {
  return ZSeriesParams.parse(await context.params);
}

export async function hostOf(context: THostContext): Promise<string> {
  return ZHostParams.parse(await context.params).host;
}

/** A JSON body must be an object of fields. */
export const ZBodyObject = z.record(z.string(), z.unknown(), {
  error: "The body must be a JSON object.",
});
