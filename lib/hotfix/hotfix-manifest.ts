import { z } from "zod";
import { VERSION } from "../domain/hotfix-name";

// hotfix.json inside a hotfix archive (docs/hotfixes.md): what the hotfix
// replaces under the product's install root, with the SHA-256 each file must
// have before (H6; null for a file the hotfix adds) and will have after.

const SHA256 = z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 is 64 lower-case hex digits");
const SEGMENT = /^[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*$/;

/** A path relative to the install root: no absolute path, no "..", no empty or dot segment. */
export const ZHotfixPath = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (p) => p.split("/").every((s) => SEGMENT.test(s) && s !== "." && s !== ".."),
    "a path relative to the install root (letters, digits, . _ @ + -; no absolute or .. path)",
  );

export const ZHotfixManifest = z.object({
  product: z.string().min(1).max(100),
  version: z.string().regex(VERSION, "a version x.y.z"),
  files: z
    .array(z.object({ path: ZHotfixPath, sha256Before: SHA256.nullable(), sha256After: SHA256 }))
    .min(1, "a hotfix changes at least one file")
    .max(10_000),
});
export type THotfixManifest = z.infer<typeof ZHotfixManifest>;
export type THotfixFile = THotfixManifest["files"][number];
