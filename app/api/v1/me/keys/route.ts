import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { getProfile } from "@/lib/server/users/get-profile";
import { registerKey, ZRegisterKey } from "@/lib/server/keys/register-key";
import { keyEntry } from "@/lib/server/keys/key-entry";

/** The caller's registered keys that are not removed, revoked ones included (marked), oldest first. */
export const GET = apiRoute(async ({ actor }) => {
  const { keys } = await getProfile({ actor });
  return NextResponse.json(keys.filter((k) => !k.removedAt).map(keyEntry));
});

/** Registers one of the caller's own public keys, `{ armored }`, as the profile page does. */
export const POST = apiRoute(async ({ actor, request }) => {
  const { armored } = ZRegisterKey.parse(await readJson(request));
  return NextResponse.json(keyEntry(await registerKey({ actor, armored })), { status: 201 });
});
