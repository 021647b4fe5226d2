import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { authorize } from "@/lib/auth/actor";
import { readJson } from "@/lib/api/json-body";
import { bodyFields, installationSlugOf, type TInstallationContext } from "@/lib/api/update-params";
import {
  getInstallation,
  updateInstallation,
  type TUpdateInstallation,
} from "@/lib/server/updates/installations";

/** The installation, its mode and its active trusted certificates (with their end) and vendor keys. */
export const GET = apiRoute<TInstallationContext>(async ({ actor, context }) => {
  authorize(actor, "package:read");
  return NextResponse.json(
    await getInstallation({ actor, slug: await installationSlugOf(context) }),
  );
});

/** Sets what is given: name, mode, enterprise, postUpdateUrl, postUpdateSecretEnv ("" clears). */
export const PATCH = apiRoute<TInstallationContext>(async ({ actor, request, context }) => {
  authorize(actor, "package:manage");
  const slug = await installationSlugOf(context);
  const body = bodyFields(await readJson(request)) as TUpdateInstallation;
  return NextResponse.json(await updateInstallation({ ...body, slug, actor }));
});
