import { NextResponse } from "next/server";
import { apiRoute, bearer } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { getProfile } from "@/lib/server/users/get-profile";
import { createToken, ZCreateToken } from "@/lib/server/tokens/create-token";
import { callingToken } from "@/lib/server/tokens/calling-token";
import { tokenEntry } from "@/lib/server/tokens/token-entry";

/** The caller's tokens, newest first, revoked and expired ones included; never a secret. */
export const GET = apiRoute(async ({ actor }) => {
  const { tokens } = await getProfile({ actor });
  return NextResponse.json(tokens.map(tokenEntry));
});

/**
 * A new token, with the owner's password as on the profile page; the secret is in this
 * answer only. It never outlives, nor outranks, the token that asks for it.
 */
export const POST = apiRoute(async ({ actor, request }) => {
  const body = ZCreateToken.parse(await readJson(request));
  const via = await callingToken(bearer(request));
  return NextResponse.json(await createToken({ actor, via, ...body }), { status: 201 });
});
