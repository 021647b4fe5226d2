import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { outboxIdOf, type TOutboxContext } from "@/lib/api/admin-params";
import { retryOutbox } from "@/lib/server/outbox/retry-outbox";

/** Sends a failed row round again (outbox:manage): back to PENDING with fresh attempts. */
export const POST = apiRoute<TOutboxContext>(async ({ actor, context }) => {
  return NextResponse.json(await retryOutbox({ actor, outboxId: await outboxIdOf(context) }));
});
