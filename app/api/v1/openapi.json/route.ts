import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/api/openapi";

/** The OpenAPI 3.1 document of this API; public, like any API reference. */
export function GET() {
  return NextResponse.json(openApiDocument, {
    headers: { "cache-control": "public, max-age=300" },
  });
}
