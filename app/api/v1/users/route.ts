import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { readJson } from "@/lib/api/json-body";
import { ZCreateUserBody } from "@/lib/api/admin-params";
import { listUsers, userEntry } from "@/lib/server/users/list-users";
import { createUser } from "@/lib/server/users/create-user";

/** Every account, by name (roles:manage). */
export const GET = apiRoute(async ({ actor }) => NextResponse.json(await listUsers({ actor })));

/**
 * A new account `{ email, name }` with no roles, as on the roles page: the person gets
 * a one-time link by mail to choose a password; roles come by nomination.
 */
export const POST = apiRoute(async ({ actor, request }) => {
  // The strict body (no roles, no password, no token for someone else) is parsed here, so the
  // caller is asked for first: without roles:manage, a 403 whatever the body. createUser asks too.
  authorize(actor, "roles:manage");
  const body = ZCreateUserBody.parse(await readJson(request));
  const { user } = await createUser({ actor, ...body, roles: [] });
  return NextResponse.json(userEntry(user), { status: 201 });
});
