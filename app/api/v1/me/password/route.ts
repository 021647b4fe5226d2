import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { changePassword, ZChangePassword } from "@/lib/server/users/change-password";

/**
 * `{ current, next, repeat }`, as the password page. Like there, every session and every
 * API token of the person ends, the one this request came with included.
 */
export const POST = apiRoute(async ({ actor, request }) => {
  await changePassword({ actor, ...ZChangePassword.parse(await readJson(request)) });
  return new Response(null, { status: 204 });
});
