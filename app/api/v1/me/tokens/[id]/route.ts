import { apiRoute } from "@/lib/api/handler";
import { tokenIdOf, type TTokenContext } from "@/lib/api/account-params";
import { revokeToken } from "@/lib/server/tokens/revoke-token";

/** Revokes one of the caller's tokens (the calling one too, if named): refused from now on. */
export const DELETE = apiRoute<TTokenContext>(async ({ actor, context }) => {
  await revokeToken({ actor, tokenId: await tokenIdOf(context) });
  return new Response(null, { status: 204 });
});
