import { NextResponse } from "next/server";
import { z } from "zod";
import { uploadRoute } from "@/lib/api/upload-route";
import { FORM_OVERHEAD_BYTES, readMultipart } from "@/lib/api/multipart";
import { cleanId } from "@/lib/domain/input-hygiene";
import { AppError } from "@/lib/errors";
import {
  MAX_SIGNATURE_BYTES,
  maxPackageBytes,
  receivePackage,
} from "@/lib/server/updates/receive-package";

type TContext = { params: Promise<{ slug: string }> };
const ZParams = z.object({ slug: cleanId() });

// The installation page posts the package here with XMLHttpRequest (for progress);
// the session decides who acts, receivePackage authorizes, keeps and verifies it.
export const POST = uploadRoute<TContext>(
  "the installation page",
  async ({ actor, request, context }) => {
    const { slug } = ZParams.parse(await context.params);
    const form = await readMultipart(
      request,
      maxPackageBytes() + MAX_SIGNATURE_BYTES + FORM_OVERHEAD_BYTES,
    );
    const file = form.get("package");
    if (!(file instanceof File))
      throw new AppError("VALIDATION", "Choose the package file to upload.");
    const signature = form.get("signature");
    const received = await receivePackage({
      actor,
      slug,
      channel: "BROWSER",
      fileName: file.name,
      data: new Uint8Array(await file.arrayBuffer()),
      signature:
        signature instanceof File && signature.size > 0
          ? new Uint8Array(await signature.arrayBuffer())
          : undefined,
    });
    return NextResponse.json(received, { status: 201 });
  },
);
