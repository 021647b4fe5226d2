import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { pgpKeyOf, type TPgpKeyContext } from "@/lib/api/update-params";
import { removePgpKey } from "@/lib/server/updates/pgp-keys";

/** The installation no longer trusts the vendor key: 204 (the row stays for earlier verdicts). */
export const DELETE = apiRoute<TPgpKeyContext>(async ({ actor, context }) => {
  authorize(actor, "package:manage");
  const { slug, fingerprint } = await pgpKeyOf(context);
  await removePgpKey({ actor, slug, fingerprint });
  return new Response(null, { status: 204 });
});
