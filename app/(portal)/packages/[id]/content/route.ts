import { z } from "zod";
import { sessionRoute } from "@/lib/api/session-route";
import { cleanId } from "@/lib/domain/input-hygiene";
import { loadPackageContent } from "@/lib/server/updates/package-content";

type TContext = { params: Promise<{ id: string }> };
const ZParams = z.object({ id: cleanId() });

// A VERIFIED package's signed content for the browser (openssl's -out), as GET
// /api/v1/packages/:id/content; a quarantined one answers 409 with its reason.
export const GET = sessionRoute<TContext>(
  async ({ actor, context }) => {
    const { id } = ZParams.parse(await context.params);
    const c = await loadPackageContent({ actor, id });
    return new Response(Buffer.from(c.bytes), {
      headers: {
        "content-type": "application/octet-stream",
        "content-disposition": `attachment; filename="${c.fileName.replace(/[^\w.-]/g, "_")}"`,
        "x-content-sha256": c.contentSha256,
      },
    });
  },
  { errors: "text" },
);
