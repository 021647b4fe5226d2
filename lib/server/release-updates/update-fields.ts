import "server-only";
import { z } from "zod";
import { cleanLine } from "../../domain/input-hygiene";

// The fields of a release-update record as typed (API, forms), shared by
// create-update.ts and edit-update.ts (docs/release-updates.md "Records").

const unique = (xs: string[]) => new Set(xs).size === xs.length;

export const ZUpdateTitle = cleanLine().trim().min(3, "at least 3 characters").max(200);

/** Debian source package names (Debian Policy 5.6.1). */
export const ZPackages = z
  .array(
    cleanLine()
      .trim()
      .regex(/^[a-z0-9][a-z0-9+.-]+$/, "a Debian source package name (a-z, 0-9, + . -)")
      .max(100),
  )
  .min(1, "name at least one package")
  .max(20, "at most 20 packages")
  .refine(unique, "packages must be unique")
  .meta({ uniqueItems: true, description: "The package family: Debian source package names." });

/** Release series (focal, jammy, noble). */
export const ZSeries = z
  .array(
    cleanLine()
      .trim()
      .regex(/^[a-z][a-z0-9-]{1,30}$/, "a series name (lower-case letters, digits, -)"),
  )
  .min(1, "name at least one series")
  .max(20, "at most 20 series")
  .refine(unique, "series must be unique")
  .meta({ uniqueItems: true, description: "The target series (focal, jammy, noble)." });

/** An upstream or Debian version string (epoch:upstream-revision, ~ and + allowed). */
export const ZVersion = cleanLine()
  .trim()
  .regex(
    /^(?:\d{1,9}:)?[0-9][A-Za-z0-9.+~-]*$/,
    "a version such as 2.11.0 or 2.11.0-1~ubuntu22.04.1 (starts with a digit)",
  )
  .max(100);

/** A record's version: the one the update brings. */
export const ZUpdateVersion = ZVersion.meta({
  description: "The new upstream (or Debian) version.",
});

export const ZBugId = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z#._-]{1,32}$/, "a bug number: letters, digits, # . _ - (up to 32)");
