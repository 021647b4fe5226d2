import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { updateKey } from "@/lib/server/keys/update-key";

type TKeyContext = { params: Promise<{ fingerprint: string }> };

const ZBody = z.object({ armored: z.string() });

/**
 * An updated certificate (new expiry, user IDs, subkeys) or a revocation
 * certificate for one of the caller's registered keys: `{ armored }`. Answers
 * the key's entry; from `revokedAt` on the key signs nothing.
 */
export const POST = apiRoute<TKeyContext>(async ({ actor, request, context }) => {
  const { fingerprint } = await context.params;
  const { armored } = ZBody.parse(await readJson(request));
  return NextResponse.json(await updateKey({ actor, fingerprint, armored }));
});
