import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { packageIdOf, type TPackageContext } from "@/lib/api/update-params";
import { isAppError } from "@/lib/errors";
import { loadPackageContent } from "@/lib/server/updates/package-content";

/**
 * U2: a VERIFIED package's signed content byte for byte (openssl's -out);
 * `x-sha256` is its SHA-256. A QUARANTINED one answers 409 with its reason.
 */
export const GET = apiRoute<TPackageContext>(async ({ actor, context }) => {
  authorize(actor, "package:read");
  const id = await packageIdOf(context);
  try {
    const c = await loadPackageContent({ actor, id });
    return new Response(Buffer.from(c.bytes), {
      headers: {
        "content-type": "application/octet-stream",
        "content-disposition": `attachment; filename="${c.fileName.replace(/["\\]/g, "_")}"`,
        "x-sha256": c.contentSha256,
      },
    });
  } catch (e) {
    if (isAppError(e) && e.code === "CONFLICT" && e.details?.state === "QUARANTINED")
      return NextResponse.json(
        { error: { code: e.code, message: e.message }, state: "QUARANTINED", reason: e.message },
        { status: 409 },
      );
    throw e;
  }
});
