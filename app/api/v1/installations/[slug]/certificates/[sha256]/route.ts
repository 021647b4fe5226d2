import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { certificateOf, type TCertificateContext } from "@/lib/api/update-params";
import { removeCertificate } from "@/lib/server/updates/certificates";

/** The installation no longer trusts the certificate: 204 (the row stays for earlier verdicts). */
export const DELETE = apiRoute<TCertificateContext>(async ({ actor, context }) => {
  authorize(actor, "package:manage");
  const { slug, sha256 } = await certificateOf(context);
  await removeCertificate({ actor, slug, sha256 });
  return new Response(null, { status: 204 });
});
