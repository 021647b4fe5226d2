import { z } from "zod";
import { ZTarballEvidence } from "./tarball";

// What a critical admin records with each hand step (P4). Worker steps carry
// the worker's evidence (message id, tracker response, checksums).
const note = z.string().trim().max(4000).optional();

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
    assessment: z.string().trim().min(1, "Describe the risk you evaluated.").max(4000),
    webServerStopped: z.boolean(),
  }),
  5: z.object({
    output: z
      .string()
      .max(200_000, "The output is limited to 200,000 characters.")
      .refine((s) => s.trim().length > 0, "Paste the output of patch."),
    result: z.enum(["clean", "failed"]),
  }),
  6: z.object({
    commitMessage: z.string().trim().min(1).max(4000),
    output: z.string().max(50_000).optional(),
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
