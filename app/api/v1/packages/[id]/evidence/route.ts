import { apiRoute } from "@/lib/api/handler";
import { dossierResponse } from "@/lib/api/dossier-response";
import { buildPackageBundle } from "@/lib/server/updates/build-package-bundle";

type TPackageContext = { params: Promise<{ id: string }> };

/** An update package's evidence bundle: application/gzip, checked offline by `patchgate verify`. */
export const GET = apiRoute<TPackageContext>(async ({ actor, context }) =>
  dossierResponse(await buildPackageBundle({ actor, id: (await context.params).id })),
);
