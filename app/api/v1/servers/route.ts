import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { addServer, listServers, type TAddServer } from "@/lib/server/hotfixes/servers";

/** H2: every server with its role, version and the hotfixes applied on it. */
export const GET = apiRoute(async ({ actor }) => NextResponse.json(await listServers({ actor })));

/** H2: `{ slug, product, version, role: "frontend" | "backend", name? }`, by a critical admin or admin. */
export const POST = apiRoute(async ({ actor, request }) => {
  // addServer authorizes first, then parses the body with its own schema.
  const input = (await readJson(request)) as TAddServer;
  return NextResponse.json(await addServer({ ...input, actor }), { status: 201 });
});
