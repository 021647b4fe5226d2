import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { FORM_OVERHEAD_BYTES, readMultipart } from "@/lib/api/multipart";
import { fieldBytes, installationSlugOf, type TInstallationContext } from "@/lib/api/update-params";
import { authorize } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { MAX_PGP_KEY_BYTES, trustPgpKeyWithOutcome } from "@/lib/server/updates/pgp-keys";

/** U1: multipart field `pgpKey` (armored or binary): 201 with its entry, 200 when trusted already. */
export const POST = apiRoute<TInstallationContext>(async ({ actor, request, context }) => {
  authorize(actor, "package:manage");
  const slug = await installationSlugOf(context);
  const form = await readMultipart(request, MAX_PGP_KEY_BYTES + FORM_OVERHEAD_BYTES);
  const pgpKey = await fieldBytes(form.get("pgpKey"));
  if (!pgpKey)
    throw new AppError(
      "VALIDATION",
      "pgpKey: attach the vendor's OpenPGP public key (curl -F pgpKey=@vendor.asc).",
    );
  const r = await trustPgpKeyWithOutcome({ actor, slug, file: pgpKey });
  return NextResponse.json(r.pgpKey, { status: r.created ? 201 : 200 });
});
