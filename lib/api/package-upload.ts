import "server-only";
import { NextResponse } from "next/server";
import { authorize, type TActor } from "../auth/actor";
import { AppError } from "../errors";
import { FORM_OVERHEAD_BYTES, readMultipart } from "./multipart";
import { fieldBytes } from "./update-params";
import {
  MAX_SIGNATURE_BYTES,
  maxPackageBytes,
  receivePackage,
} from "../server/updates/receive-package";

/**
 * U1: a package posted as multipart field `package` (and an optional detached
 * `signature`), over the API or from the browser. Every file is kept and
 * answered 201, verified or quarantined; 400 only when `package` is missing,
 * 413 past MAX_PACKAGE_BYTES (refused from Content-Length before reading).
 */
export async function packageUploadResponse({
  actor,
  request,
  slug,
  channel,
}: {
  actor: TActor;
  request: Request;
  /** Reads the path's slug, after the caller was authorized. */
  slug: () => Promise<string>;
  channel: "API" | "BROWSER";
}): Promise<Response> {
  // Before the path and the body are read: a caller who may not upload does not get to send 128 MiB.
  authorize(actor, "package:manage");
  const installation = await slug();
  const form = await readMultipart(
    request,
    maxPackageBytes() + MAX_SIGNATURE_BYTES + FORM_OVERHEAD_BYTES,
  );
  const file = form.get("package");
  const data = await fieldBytes(file);
  if (file === null)
    throw new AppError(
      "VALIDATION",
      "package: attach the update package (curl -F package=@os4x_update.sh.signed).",
    );
  const signature = await fieldBytes(form.get("signature"));
  const result = await receivePackage({
    actor,
    slug: installation,
    channel,
    fileName: typeof file === "string" ? null : file.name,
    data: data ?? new Uint8Array(0),
    signature,
  });
  return NextResponse.json(result, { status: 201 });
}
