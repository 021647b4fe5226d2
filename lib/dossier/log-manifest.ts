import { z } from "zod";

// Issue #16: the transparency log. A bundle carries the portal's signed
// checkpoint and, for each of its audit events, the inclusion proof of that
// event's leaf in the checkpoint's tree. Optional: bundles exported before the
// log existed have none, and still verify (the verifier says so).

const ZBase64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "standard base64");
const ZHash64 = ZBase64.length(44, "a base64 SHA-256");
/** The log files sit in log/ (a name of their own, not the manifest's general path rule: no import cycle). */
const ZLogPath = z.string().regex(/^log\/[a-z][a-z0-9.-]*$/, "a file in log/");

export const LOG_PROOFS_FORMAT = "patchgate-log-proofs v1";

/** The manifest's `log` entry: where the log files are, and the checkpoint's tree size. */
export const ZBundleLog = z.strictObject({
  checkpoint: ZLogPath,
  signature: ZLogPath,
  noteKey: ZLogPath,
  proofs: ZLogPath,
  treeSize: z.number().int().min(0),
});
export type TBundleLog = z.infer<typeof ZBundleLog>;

/** log/proofs.json: one inclusion proof per audit event of the bundle, against its checkpoint. */
export const ZLogProofs = z.strictObject({
  format: z.literal(LOG_PROOFS_FORMAT),
  treeSize: z.number().int().min(0),
  rootHash: ZHash64,
  events: z.array(
    z.strictObject({
      seq: z.string().regex(/^[1-9][0-9]*$/),
      leafIndex: z.number().int().min(0),
      leafHash: ZHash64,
      proof: z.array(ZHash64),
    }),
  ),
});
export type TLogProofs = z.infer<typeof ZLogProofs>;

/**
 * log/consistency.json (optional): a consistency proof between the bundle's
 * checkpoint and another one (e.g. the last one mailed to the list archive).
 */
export const ZLogConsistency = z.strictObject({
  from: z.number().int().min(0),
  to: z.number().int().min(0),
  proof: z.array(ZHash64),
});
export type TLogConsistency = z.infer<typeof ZLogConsistency>;

/** Where a bundle carries the log files (the contract of issue #16). */
export const LOG_FILES = {
  checkpoint: "log/checkpoint",
  signature: "log/checkpoint.asc",
  noteKey: "log/note-key",
  proofs: "log/proofs.json",
  /** Optional: see ZLogConsistency. */
  consistency: "log/consistency.json",
} as const;
