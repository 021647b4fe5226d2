import { z } from "zod";
import { cleanId } from "../domain/input-hygiene";
import { ZBinary } from "./openapi-parts";

// Route segments of the update-package routes (issue 13): parsed, never trusted.
// The use-cases check their form (a slug, a SHA-256, a fingerprint) after authorizing.
export const ZInstallationParams = z.object({
  slug: cleanId().meta({
    description: "The installation's slug (also its folder in the drop directory).",
  }),
});
export const ZCertificateParams = ZInstallationParams.extend({
  sha256: cleanId(128).meta({ description: "The certificate's SHA-256 (of its DER), hex." }),
});
export const ZPgpKeyParams = ZInstallationParams.extend({
  fingerprint: cleanId(128).meta({ description: "The key's fingerprint, 40 hex digits." }),
});
export const ZPackageParams = z.object({
  id: cleanId().meta({ description: "The update package's id." }),
});

export type TInstallationContext = { params: Promise<{ slug: string }> };
export type TCertificateContext = { params: Promise<{ slug: string; sha256: string }> };
export type TPgpKeyContext = { params: Promise<{ slug: string; fingerprint: string }> };
export type TPackageContext = { params: Promise<{ id: string }> };

export async function installationSlugOf(context: TInstallationContext): Promise<string> {
  return ZInstallationParams.parse(await context.params).slug;
}

export async function certificateOf(context: TCertificateContext) {
  return ZCertificateParams.parse(await context.params);
}

export async function pgpKeyOf(context: TPgpKeyContext) {
  return ZPgpKeyParams.parse(await context.params);
}

export async function packageIdOf(context: TPackageContext): Promise<string> {
  return ZPackageParams.parse(await context.params).id;
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

// The multipart bodies as the OpenAPI document describes them. The routes read these fields with
// fieldBytes (a file part or a text part alike, kept byte for byte), not with zod: the use-cases
// check the bytes (a certificate, a key, a package) after authorizing.
const ZFilePart = (description: string) => ZBinary.meta({ description });

/** POST /installations/{slug}/certificates: one of the two fields. */
export const ZTrustCertificateForm = z.object({
  certificate: ZFilePart("An X.509 certificate, PEM or DER.").optional(),
  pgpKey: ZFilePart("Instead: a vendor OpenPGP public key.").optional(),
});

/** POST /installations/{slug}/pgp-keys. */
export const ZTrustPgpKeyForm = z.object({ pgpKey: ZBinary });

/** POST /installations/{slug}/packages (lib/api/package-upload.ts). */
export const ZPackageUploadForm = z.object({
  package: ZFilePart(
    "CMS/PKCS#7 SignedData with the content attached (DER or PEM), an OpenPGP signed message, or any file with `signature`.",
  ),
  signature: ZFilePart("A detached signature (CMS or OpenPGP).").optional(),
});
