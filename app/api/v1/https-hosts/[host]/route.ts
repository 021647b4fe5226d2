import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { hostOf, type THostContext } from "@/lib/api/verification-params";
import { removeHttpsHost } from "@/lib/server/release-updates/allowed-hosts";

/** S3: the host leaves the allow-list: 204. Checks made stay; one still waiting is not made. */
export const DELETE = apiRoute<THostContext>(async ({ actor, context }) => {
  authorize(actor, "update:manage");
  await removeHttpsHost({ actor, host: await hostOf(context) });
  return new Response(null, { status: 204 });
});
