// Update package files (U1): the name a package is kept under, which drop-directory
// files are packages, and the name its verified content is offered under.

const HIDDEN = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
export const MAX_FILE_NAME = 255;

/**
 * The name a received file is kept under: its last path segment, controls and
 * bidi controls replaced by "_", at most 255 characters. Never refused: every
 * file is kept, whatever its sender called it.
 */
export function cleanPackageFileName(raw: string | null | undefined): string {
  const base = (raw ?? "").split(/[\\/]/).pop() ?? "";
  const clean = base.replace(HIDDEN, "_").trim().slice(0, MAX_FILE_NAME);
  return clean === "" || clean === "." || clean === ".." ? "package" : clean;
}

/** A drop-directory file the worker takes in: the seed's virtual file name OS4X_UPDATE, or any *.signed. */
export function isInboxPackageName(name: string): boolean {
  if (name.startsWith(".")) return false;
  return name === "OS4X_UPDATE" || (name.endsWith(".signed") && name.length > ".signed".length);
}

/** The verified content's name: "os4x3_full.sh.signed" gives "os4x3_full.sh"; otherwise "<name>.content". */
export function contentFileName(fileName: string): string {
  if (fileName.endsWith(".signed") && fileName.length > ".signed".length)
    return fileName.slice(0, -".signed".length);
  return `${fileName}.content`;
}
