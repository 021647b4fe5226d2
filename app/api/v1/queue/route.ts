import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { listQueue } from "@/lib/server/patches/list-queue";

/** "Waiting for me": per reason, the patches that need the token's owner now (lib/api/queue-shape.ts). */
export const GET = apiRoute(async ({ actor }) => NextResponse.json(await listQueue({ actor })));
