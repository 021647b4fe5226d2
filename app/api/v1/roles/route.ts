import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { getGrant, listGrants } from "@/lib/server/roles/list-grants";
import { nominateRole, ZNominateRole } from "@/lib/server/roles/nominate-role";

/** Every grant and nomination, as the roles page lists them (roles:manage). */
export const GET = apiRoute(async ({ actor }) => NextResponse.json(await listGrants({ actor })));

/** Nominates a person for a role `{ userId, role, note? }`; it counts once another admin approves. */
export const POST = apiRoute(async ({ actor, request }) => {
  const grant = await nominateRole({ actor, ...ZNominateRole.parse(await readJson(request)) });
  return NextResponse.json(await getGrant({ actor, grantId: grant.id }), { status: 201 });
});
