import { z } from "zod";
import { AppError } from "../errors";

/** Room for the form's text fields and part headers on top of the diff itself. */
export const FORM_OVERHEAD_BYTES = 64 * 1024;

function tooLarge(limit: number): AppError {
  return new AppError(
    "PAYLOAD_TOO_LARGE",
    `The request body is larger than the limit of ${limit} bytes.`,
  );
}

/**
 * A stream that passes bytes through and errors once more than `limit` have
 * gone by, so an upload is never buffered past the limit.
 */
export function byteCap(limit: number): {
  stream: TransformStream<Uint8Array, Uint8Array>;
  exceeded: () => boolean;
} {
  let seen = 0;
  let over = false;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > limit) {
        over = true;
        controller.error(tooLarge(limit));
        return;
      }
      controller.enqueue(chunk);
    },
  });
  return { stream, exceeded: () => over };
}

/**
 * Reads a multipart/form-data body of at most `limit` bytes. Next.js does not
 * cap route handler bodies, so this does: a declared Content-Length above the
 * limit is refused before a byte is read; otherwise the body is counted as it
 * streams and the read stops at the first byte past the limit.
 */
export async function readMultipart(request: Request, limit: number): Promise<FormData> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data;/i.test(type)) {
    throw new AppError("VALIDATION", "Send the upload as multipart/form-data (curl -F).");
  }
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) throw new AppError("VALIDATION", "The request has no body.");

  const cap = byteCap(limit);
  const counted = request.body.pipeThrough(cap.stream);
  try {
    return await new Response(counted, { headers: { "content-type": type } }).formData();
  } catch {
    if (cap.exceeded()) throw tooLarge(limit);
    throw new AppError("VALIDATION", "The body is not valid multipart/form-data.");
  }
}

/** A file field: its bytes are kept exactly as uploaded (a text field would have been re-decoded as UTF-8). */
export const ZUploadedFile = z
  .instanceof(Blob, { error: "attach it as a file field (curl -F diff=@fix.diff)" })
  // The OpenAPI document shows a file part as bytes (JSON Schema cannot say "a Blob").
  .meta({ override: { type: "string", format: "binary" } });

export async function fileBytes(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

/** zod error map: a field that was not sent at all is "required", not "expected string, received undefined". */
export const missingIsRequired = (issue: { input?: unknown }) =>
  issue.input === undefined ? "required" : undefined;

/** The named fields of a form as a plain object for zod; a missing field is undefined. */
export function formFields(
  form: FormData,
  names: readonly string[],
): Record<string, FormDataEntryValue | undefined> {
  return Object.fromEntries(names.map((name) => [name, form.get(name) ?? undefined]));
}
