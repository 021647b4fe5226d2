import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { FORM_OVERHEAD_BYTES, readMultipart } from "@/lib/api/multipart";
import { fieldBytes, installationSlugOf, type TInstallationContext } from "@/lib/api/update-params";
import { authorize } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import {
  MAX_CERTIFICATE_BYTES,
  trustCertificateWithOutcome,
} from "@/lib/server/updates/certificates";
import { trustPgpKeyWithOutcome } from "@/lib/server/updates/pgp-keys";

/**
 * U1, U3: multipart field `certificate` (X.509, PEM or DER): 201 with its entry,
 * 200 with the same entry when it is trusted already. Field `pgpKey` instead
 * trusts a vendor OpenPGP public key (as POST .../pgp-keys does).
 */
export const POST = apiRoute<TInstallationContext>(async ({ actor, request, context }) => {
  authorize(actor, "package:manage");
  const slug = await installationSlugOf(context);
  const form = await readMultipart(request, 2 * MAX_CERTIFICATE_BYTES + FORM_OVERHEAD_BYTES);
  const certificate = await fieldBytes(form.get("certificate"));
  const pgpKey = await fieldBytes(form.get("pgpKey"));
  if (certificate && pgpKey)
    throw new AppError("VALIDATION", "Send either certificate or pgpKey, one per request.");
  if (pgpKey) {
    const r = await trustPgpKeyWithOutcome({ actor, slug, file: pgpKey });
    return NextResponse.json(r.pgpKey, { status: r.created ? 201 : 200 });
  }
  if (!certificate)
    throw new AppError(
      "VALIDATION",
      "certificate: attach the vendor's certificate, PEM or DER (curl -F certificate=@c-works.softwareupdate.pub.cer).",
    );
  const r = await trustCertificateWithOutcome({ actor, slug, file: certificate });
  return NextResponse.json(r.certificate, { status: r.created ? 201 : 200 });
});
