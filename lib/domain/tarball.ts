import { z } from "zod";

// P9: the source tarball of step 7, bound by its SHA-256. The admin either
// uploads the file (the portal hashes the bytes it stores) or pastes the line
// `sha256sum` printed on the production server; the worker mirrors only bytes
// with that hash.

/** A plain file name: no directories, nothing a shell or a path join could read twice. */
export const TARBALL_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,250}$/;

export const ZTarballName = z
  .string()
  .trim()
  .min(1, "Name the new tarball.")
  .regex(TARBALL_NAME, "The tarball's name is a file name (letters, digits, . _ + -), no path.");

export const ZSha256Hex = z
  .string()
  .trim()
  .transform((s) => s.toLowerCase())
  .pipe(z.string().regex(/^[0-9a-f]{64}$/, "A SHA-256 is 64 hexadecimal digits."));

/**
 * Reads one line of `sha256sum` output: `<64 hex>  <file>` (text mode) or
 * `<64 hex> *<file>` (binary mode). The file may be a path; its last part
 * names the tarball. Returns null for anything else.
 */
export function parseSha256sumLine(line: string): { sha256: string; name: string } | null {
  const m = /^\s*([0-9a-fA-F]{64}) [ *](\S.*?)\s*$/.exec(line.replace(/\r?\n$/, ""));
  if (!m || /[\r\n]/.test(m[2])) return null;
  const name = m[2].split("/").pop() ?? "";
  if (!TARBALL_NAME.test(name)) return null;
  return { sha256: m[1].toLowerCase(), name };
}

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/**
 * Step 7's evidence: the tarball's name and SHA-256, given as two fields (the
 * browser upload fills them) or as the pasted `sha256sum` line, kept as typed.
 */
export const ZTarballEvidence = z.preprocess(
  (raw) => {
    if (!raw || typeof raw !== "object") return raw;
    const r = Object.fromEntries(
      Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, blankToUndefined(v)]),
    );
    if (typeof r.sha256sum !== "string") return r;
    const parsed = parseSha256sumLine(r.sha256sum);
    if (!parsed) return { ...r, sha256sum: null };
    return {
      ...r,
      tarball: r.tarball ?? parsed.name,
      tarballSha256: r.tarballSha256 ?? parsed.sha256,
      parsed,
    };
  },
  z
    .object(
      {
        tarball: ZTarballName,
        tarballSha256: ZSha256Hex,
        sha256sum: z
          .string({
            error: "Paste one line of sha256sum output: the 64-digit hash, two spaces, the file.",
          })
          .trim()
          .max(1000)
          .optional(),
        parsed: z.object({ sha256: z.string(), name: z.string() }).optional(),
      },
      { error: "Upload the tarball or paste its sha256sum line." },
    )
    .superRefine((v, ctx) => {
      if (!v.parsed) return;
      if (v.parsed.name !== v.tarball || v.parsed.sha256 !== v.tarballSha256)
        ctx.addIssue({
          code: "custom",
          message: "The sha256sum line names another file or hash than the tarball fields.",
        });
    })
    .transform(({ parsed: _parsed, ...v }) => v),
);

export type TTarballEvidence = z.output<typeof ZTarballEvidence>;

/** The tarball step 7 recorded, read back from stored evidence (older records may lack the hash). */
export function recordedTarball(evidence: unknown): { name: string; sha256: string | null } | null {
  const e = (evidence ?? {}) as { tarball?: unknown; tarballSha256?: unknown };
  if (typeof e.tarball !== "string" || !TARBALL_NAME.test(e.tarball)) return null;
  const sha256 =
    typeof e.tarballSha256 === "string" && /^[0-9a-f]{64}$/.test(e.tarballSha256)
      ? e.tarballSha256
      : null;
  return { name: e.tarball, sha256 };
}
