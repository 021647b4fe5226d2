import { AppError } from "../errors";
import { byteCap } from "./multipart";

/** Sign-offs, step evidence (patch output up to 200,000 characters) and decisions fit well within this. */
export const MAX_JSON_BYTES = 1024 * 1024;

/**
 * Reads a JSON body of at most `limit` bytes; an empty body is `{}`. Malformed
 * JSON is a 400 naming the problem, never a 500.
 */
export async function readJson(request: Request, limit = MAX_JSON_BYTES): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit)
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `The request body is larger than the limit of ${limit} bytes.`,
    );
  if (!request.body) return {};
  const cap = byteCap(limit);
  let text: string;
  try {
    text = await new Response(request.body.pipeThrough(cap.stream)).text();
  } catch {
    if (cap.exceeded())
      throw new AppError(
        "PAYLOAD_TOO_LARGE",
        `The request body is larger than the limit of ${limit} bytes.`,
      );
    throw new AppError("VALIDATION", "The request body could not be read.");
  }
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError("VALIDATION", `The body is not valid JSON: ${(e as Error).message}`);
  }
}
