import { apiRoute } from "@/lib/api/handler";
import { hotfixNameOf, type THotfixContext } from "@/lib/api/route-params";
import { hotfixFile } from "@/lib/server/hotfixes/list-hotfixes";

/** The hotfix file as uploaded; the CLI checks its SHA-256 (`x-sha256`) before applying it. */
export const GET = apiRoute<THotfixContext>(async ({ actor, context }) => {
  const file = await hotfixFile({ actor, name: await hotfixNameOf(context) });
  return new Response(Buffer.from(file.bytes), {
    headers: {
      "content-type": "application/gzip",
      "content-disposition": `attachment; filename="${file.fileName}"`,
      "x-sha256": file.sha256,
    },
  });
});
