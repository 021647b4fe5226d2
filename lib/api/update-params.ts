import { z } from "zod";
import { cleanId } from "../domain/input-hygiene";

// Route segments of the update-package routes (issue 13): parsed, never trusted.
// The use-cases check their form (a slug, a SHA-256, a fingerprint) after authorizing.
const ZSlug = z.object({ slug: cleanId() });
const ZSha256 = ZSlug.extend({ sha256: cleanId(128) });
const ZFingerprint = ZSlug.extend({ fingerprint: cleanId(128) });
const ZPackage = z.object({ id: cleanId() });

export type TInstallationContext = { params: Promise<{ slug: string }> };
export type TCertificateContext = { params: Promise<{ slug: string; sha256: string }> };
export type TPgpKeyContext = { params: Promise<{ slug: string; fingerprint: string }> };
export type TPackageContext = { params: Promise<{ id: string }> };

export async function installationSlugOf(context: TInstallationContext): Promise<string> {
  return ZSlug.parse(await context.params).slug;
}

export async function certificateOf(context: TCertificateContext) {
  return ZSha256.parse(await context.params);
}

export async function pgpKeyOf(context: TPgpKeyContext) {
  return ZFingerprint.parse(await context.params);
}

export async function packageIdOf(context: TPackageContext): Promise<string> {
  return ZPackage.parse(await context.params).id;
}

/** A JSON body as the fields a use-case parses itself (after it authorized); anything else is no fields. */
export function bodyFields(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === "object" && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

/** A multipart field's bytes: a file as uploaded, a text field as UTF-8; absent or empty text is null. */
export async function fieldBytes(value: FormDataEntryValue | null): Promise<Uint8Array | null> {
  if (value === null) return null;
  if (typeof value === "string") return value === "" ? null : new Uint8Array(Buffer.from(value));
  return new Uint8Array(await value.arrayBuffer());
}
