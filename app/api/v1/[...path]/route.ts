import { apiError } from "@/lib/api/handler";

// Any path under /api/v1 that no route serves: 404 in the error shape, for every
// method (without this, a POST fell through to the pages and got Next's plain-text
// "Invalid Server Action request.").
function notFound(request: Request) {
  const { pathname } = new URL(request.url);
  return apiError(
    "NOT_FOUND",
    `No such API endpoint: ${request.method} ${pathname}. The endpoints are listed at /api/v1/openapi.json.`,
    404,
  );
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
