import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { ROLE_LABEL } from "@/lib/domain/roles";
import { permissionsOf } from "@/lib/domain/permissions";

/** Who the token belongs to: roles, permissions and registered key fingerprints. */
export const GET = apiRoute(async ({ actor }) => {
  const keys = await db.pgpKey.findMany({ where: { userId: actor.id, removedAt: null }, select: { fingerprint: true, algorithm: true } });
  return NextResponse.json({
    id: actor.id,
    email: actor.email,
    name: actor.name,
    roles: actor.roles.map((r) => ROLE_LABEL[r]),
    permissions: permissionsOf(actor.roles),
    keys,
  });
});
