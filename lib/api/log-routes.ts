import "server-only";
import { NextResponse } from "next/server";
import { errorResponse } from "./handler";

// The transparency log's public routes (docs/transparency-log.md "The API"): no
// token, since checkpoints and proofs are what anyone checks the portal with.

const TEXT = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };

/** A public route: its errors in the API's shape, its answer never cached (the log grows). */
export function publicRoute(handler: (request: Request) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    try {
      return await handler(request);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

export function textResponse(body: string): Response {
  return new Response(body, { headers: TEXT });
}

export function jsonResponse(body: unknown): Response {
  return NextResponse.json(body, { headers: { "cache-control": "no-store" } });
}

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
