import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { readJson } from "@/lib/api/json-body";
import { patchIdOf, queryOf, type TPatchContext } from "@/lib/api/route-params";
import { sha256Hex } from "@/lib/crypto/hash";
import { getNotificationPart, ZNotificationQuery } from "@/lib/server/deployments/notification";
import {
  signNotification,
  ZSignNotificationBody,
} from "@/lib/server/deployments/sign-notification";

// P7: the notification to the system-log list is the critical admin's own
// signed mail. GET returns the exact bytes of its MIME part (CRLF, RFC 3156)
// to sign with `gpg --armor --detach-sign`; POST hands back the signature.

export const GET = apiRoute<TPatchContext>(async ({ actor, request, context }) => {
  const patchId = await patchIdOf(context);
  const { key } = ZNotificationQuery.parse(queryOf(request, ["key"]));
  const { part, keyFingerprint } = await getNotificationPart({
    actor,
    patchId,
    keyFingerprint: key,
  });
  return new Response(part, {
    headers: {
      // Bytes, not text to be re-encoded: the signature covers them exactly, CRLF included.
      "content-type": "application/octet-stream",
      "content-disposition": 'attachment; filename="notification.eml"',
      "x-part-sha256": sha256Hex(part),
      "x-key-fingerprint": keyFingerprint,
      "cache-control": "private, no-store",
    },
  });
});

export const POST = apiRoute<TPatchContext>(async ({ actor, request, context }) => {
  const patchId = await patchIdOf(context);
  const { signature } = ZSignNotificationBody.parse(await readJson(request));
  return NextResponse.json(await signNotification({ actor, patchId, signature }), {
    status: 201,
  });
});
