import { AppError } from "@/lib/errors";

/**
 * Reads a multipart body, refusing it as soon as it grows past `limit` bytes:
 * Next.js does not cap route-handler bodies, so an endless upload must not be
 * buffered whole.
 */
export async function readCappedForm(request: Request, limit: number): Promise<FormData> {
  const tooLarge = () =>
    new AppError("PAYLOAD_TOO_LARGE", `The upload is larger than the limit of ${limit} bytes.`);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge();
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("multipart/form-data"))
    throw new AppError("VALIDATION", "Send the form as multipart/form-data.");
  if (!request.body) throw new AppError("VALIDATION", "The upload is empty.");

  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  try {
    return await new Response(body, { headers: { "content-type": type } }).formData();
  } catch {
    throw new AppError("VALIDATION", "The upload is not a readable multipart form.");
  }
}
