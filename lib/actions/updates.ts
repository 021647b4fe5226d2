"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { cleanId } from "../domain/input-hygiene";
import { requireActor } from "../auth/require-actor";
import { AppError } from "../errors";
import { createInstallation, updateInstallation } from "../server/updates/installations";
import { removeCertificate, trustCertificate } from "../server/updates/certificates";
import { removePgpKey, trustPgpKey } from "../server/updates/pgp-keys";
import { reverifyPackage } from "../server/updates/reverify-package";
import {
  issuePackageStatement,
  recordPackageSignoff,
  ZIssuePackageStatement,
  ZRecordPackageSignoff,
} from "../server/updates/package-statements";
import { formFields, toActionResult, type TActionResult } from "./action-result";

// Public endpoints: each asks who is calling, reads its form, and leaves
// authorization (package:manage, package:apply) to the use-case it calls.

const fileOf = async (form: FormData, field: string, what: string): Promise<Uint8Array> => {
  const file = form.get(field);
  if (!(file instanceof File) || file.size === 0)
    throw new AppError("VALIDATION", `Choose the ${what} file.`);
  return new Uint8Array(await file.arrayBuffer());
};

const installationPath = (slug: string) => `/installations/${encodeURIComponent(slug)}`;

export async function createInstallationAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const f = formFields(form);
  const result = await toActionResult(async () => {
    await createInstallation({
      actor: await requireActor(),
      slug: f.slug ?? "",
      name: f.name ?? "",
      product: f.product ?? "",
      mode: f.mode ?? "",
      enterprise: f.enterprise === "on",
    });
    return undefined;
  });
  if (result?.ok) redirect(installationPath(f.slug ?? ""));
  return result;
}

export async function updateInstallationAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const f = formFields(form);
  return toActionResult(async () => {
    await updateInstallation({
      actor: await requireActor(),
      slug: f.slug ?? "",
      mode: f.mode ?? "",
      enterprise: f.enterprise === "on",
      postUpdateUrl: f.postUpdateUrl ?? "",
      postUpdateSecretEnv: f.postUpdateSecretEnv ?? "",
    });
    revalidatePath(installationPath(f.slug ?? ""));
    return undefined;
  }, "Settings saved.");
}

export async function trustCertificateAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const slug = formFields(form).slug ?? "";
  return toActionResult(async () => {
    const actor = await requireActor();
    await trustCertificate({ actor, slug, file: await fileOf(form, "certificate", "certificate") });
    revalidatePath(installationPath(slug));
    return undefined;
  }, "Certificate trusted.");
}

/** The vendor's current certificate in place of this one: the new one is added, then this one removed. */
export async function replaceCertificateAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const { slug = "", sha256 = "" } = formFields(form);
  return toActionResult(async () => {
    const actor = await requireActor();
    const file = await fileOf(form, "certificate", "new certificate");
    const added = await trustCertificate({ actor, slug, file });
    if (added.sha256 === sha256.trim().toLowerCase())
      throw new AppError(
        "CONFLICT",
        "That is the certificate already trusted: choose the vendor's current one.",
      );
    await removeCertificate({ actor, slug, sha256 });
    revalidatePath(installationPath(slug));
    return undefined;
  }, "Certificate replaced: re-verify the quarantined packages.");
}

export async function removeCertificateAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const { slug = "", sha256 = "" } = formFields(form);
  return toActionResult(async () => {
    await removeCertificate({ actor: await requireActor(), slug, sha256 });
    revalidatePath(installationPath(slug));
    return undefined;
  }, "Certificate removed.");
}

export async function trustPgpKeyAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const slug = formFields(form).slug ?? "";
  return toActionResult(async () => {
    const actor = await requireActor();
    await trustPgpKey({ actor, slug, file: await fileOf(form, "pgpKey", "OpenPGP key") });
    revalidatePath(installationPath(slug));
    return undefined;
  }, "OpenPGP key trusted.");
}

export async function removePgpKeyAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const { slug = "", fingerprint = "" } = formFields(form);
  return toActionResult(async () => {
    await removePgpKey({ actor: await requireActor(), slug, fingerprint });
    revalidatePath(installationPath(slug));
    return undefined;
  }, "OpenPGP key removed.");
}

const ZPackageId = z.object({ id: cleanId() });

export async function reverifyPackageAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  return toActionResult(async () => {
    const actor = await requireActor();
    const { id } = ZPackageId.parse(formFields(form));
    await reverifyPackage({ actor, id });
    revalidatePath(`/packages/${id}`);
    return undefined;
  }, "Verified again; the new verdict is below.");
}

/** The package-apply or package-step statement, to be signed in the browser. */
export async function issuePackageStatementAction(
  input: z.input<typeof ZIssuePackageStatement>,
): Promise<TActionResult<{ statement: string; keyFingerprint: string }>> {
  return toActionResult(async () => {
    const actor = await requireActor();
    const { statement, keyFingerprint } = await issuePackageStatement({
      actor,
      ...ZIssuePackageStatement.parse(input),
    });
    return { statement, keyFingerprint };
  });
}

export async function recordPackageSignoffAction(
  input: z.input<typeof ZRecordPackageSignoff>,
): Promise<TActionResult> {
  return toActionResult(async () => {
    const actor = await requireActor();
    // No revalidatePath: the signing dialog refreshes the page when it is closed, and a
    // refresh now would unmount it (the button it belongs to is gone once signed).
    await recordPackageSignoff({ actor, ...ZRecordPackageSignoff.parse(input) });
    return undefined;
  }, "Signed and recorded.");
}
