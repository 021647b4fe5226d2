import { z } from "zod";
import { cleanText } from "./input-hygiene";
import { AppError } from "../errors";
import { SERVICE, type TProcedure } from "./procedures";
import { ZTarballEvidence } from "./tarball";

// What a critical admin records with each hand step (P4), signed in the step's
// statement (X1). Worker steps carry the worker's evidence (message id, tracker
// response, checksums). The object is open to new fields: whatever a step's
// schema accepts flows into the signed statement unchanged.
const note = cleanText().trim().max(4000).optional();
const OUTPUT_MAX = 200_000;

export const ZStepEvidence = {
  1: z.object({ note }),
  2: z.object({ note }),
  3: z.object({
    checksumMatched: z.literal(true, {
      error: "Confirm that sha256sum on the server printed the same checksum.",
    }),
    note,
  }),
  4: z.object({
    assessment: cleanText().trim().min(1, "Describe the risk you evaluated.").max(4000),
    webServerStopped: z.boolean(),
  }),
  5: z.object({
    output: cleanText()
      .max(OUTPUT_MAX, "The output is limited to 200,000 characters.")
      .refine((s) => s.trim().length > 0, "Paste the output of patch."),
    result: z.enum(["clean", "failed"], { error: "Choose the result: applied cleanly or failed." }),
    // P5, the failure path: the back-out, and the service started again.
    backOutOutput: cleanText()
      .max(OUTPUT_MAX, "The back-out output is limited to 200,000 characters.")
      .optional(),
    nothingChanged: z.boolean().optional(),
    webServerRunning: z.boolean().optional(),
  }),
  6: z.object({
    commitMessage: cleanText().trim().min(1).max(4000),
    output: cleanText().max(50_000).optional(),
  }),
  // P9: the tarball's name and SHA-256 (uploaded, or the pasted sha256sum line); step 13 mirrors only those bytes.
  7: ZTarballEvidence,
  8: z.object({ note }),
  9: z.object({ webServerRunning: z.boolean().optional(), note }),
} as const;

export type THandStep = keyof typeof ZStepEvidence;

export function isHandStep(n: number): n is THandStep {
  return n in ZStepEvidence;
}

/** What the rules of a step's evidence need to know about the record it belongs to. */
export type TEvidenceContext = {
  procedure: TProcedure;
  /** Step 4 recorded that the admin stopped the service (web server or signing process). */
  serviceStopped: boolean;
  /** The step that confirms the service runs again on a good path: the last applicable hand step. */
  restartStep: number;
};

const FAILED_ONLY = ["backOutOutput", "nothingChanged", "webServerRunning"] as const;

/**
 * The evidence as it is signed and stored: parsed by the step's schema, empty
 * optional text left out, and the seed's rules that span fields or steps
 * checked. Throws VALIDATION with sentences an admin can act on.
 */
export function checkStepEvidence(
  number: THandStep,
  raw: unknown,
  ctx: TEvidenceContext,
): Record<string, unknown> {
  const parsed = ZStepEvidence[number].safeParse(raw ?? {});
  if (!parsed.success)
    throw new AppError("VALIDATION", parsed.error.issues.map((i) => i.message).join(" "));
  const evidence: Record<string, unknown> = Object.fromEntries(
    Object.entries(parsed.data).filter(([, v]) => v !== undefined && v !== ""),
  );
  const service = SERVICE[ctx.procedure];
  const restart = `You stopped the ${service.name} at step 4: start it again (${service.start}) and confirm it runs.`;
  if (number === 5 && evidence.result === "failed") {
    const backOut = typeof evidence.backOutOutput === "string" && evidence.backOutOutput.trim();
    if (!backOut && evidence.nothingChanged !== true)
      throw new AppError(
        "VALIDATION",
        "A failed apply records the back-out: paste the output of the reverse apply (patch -R), or confirm that nothing changed.",
      );
    if (backOut && evidence.nothingChanged === true)
      throw new AppError(
        "VALIDATION",
        "Either paste the back-out output or confirm that nothing changed, not both.",
      );
    if (ctx.serviceStopped && evidence.webServerRunning !== true)
      throw new AppError("VALIDATION", restart);
    if (!ctx.serviceStopped) delete evidence.webServerRunning;
    if (evidence.nothingChanged === false) delete evidence.nothingChanged;
    return evidence;
  }
  if (number === 5) for (const k of FAILED_ONLY) delete evidence[k];
  if (number === ctx.restartStep && ctx.serviceStopped && evidence.webServerRunning !== true)
    throw new AppError("VALIDATION", restart);
  return evidence;
}
