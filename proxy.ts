import { NextResponse, type NextRequest } from "next/server";
import {
  BASE_HEADERS,
  HSTS,
  isCrossOriginPost,
  newNonce,
  NON_PAGE_CSP,
  pageCsp,
  servedOverHttps,
} from "@/lib/api/security-headers";

// Redirects visitors without a session cookie to /login. Convenience only: it
// decides nothing. Every page, server action and route handler checks the
// actor itself (CVE-2025-29927 is why). It also gives every page its security
// headers: a Content-Security-Policy with a fresh nonce, which Next reads from
// the request's CSP header and puts on its own scripts (so pages render
// dynamically: app/layout.tsx), and refuses server actions from another origin.
const PUBLIC = [
  /^\/login/,
  /^\/set-password\//,
  /^\/roster/,
  /^\/emergencies/,
  /^\/_next\//,
  /^\/favicon/,
];

export function proxy(request: NextRequest) {
  const https = servedOverHttps(request.headers, request.url);
  if (isCrossOriginPost(request.method, request.headers))
    return withHeaders(
      new NextResponse("Cross-origin request refused: this form belongs to another site.\n", {
        status: 403,
        headers: { "content-type": "text/plain; charset=utf-8" },
      }),
      null,
      https,
    );

  const nonce = newNonce();
  const csp = pageCsp(nonce, { dev: process.env.NODE_ENV === "development", https });
  const { pathname } = request.nextUrl;
  const hasSession = request.cookies.getAll().some((c) => c.name.endsWith("authjs.session-token"));
  if (!PUBLIC.some((re) => re.test(pathname)) && !hasSession)
    return withHeaders(NextResponse.redirect(new URL("/login", request.url)), csp, https);

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp, https);
}

function withHeaders(response: NextResponse, csp: string | null, https: boolean): NextResponse {
  for (const [name, value] of BASE_HEADERS) response.headers.set(name, value);
  response.headers.set("Content-Security-Policy", csp ?? NON_PAGE_CSP);
  if (https) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

// The API and the three upload routes never reach the proxy: when a proxy matches a
// POST, Next buffers the whole body first (silently cut at 10 MB), so the
// streamed size caps in lib/api/multipart.ts, lib/api/json-body.ts,
// patches/new/upload/read-capped-form.ts, the step-7 tarball, the hotfix upload and the package upload would never act.
// They answer 401/403 themselves, and only pages need the redirect; their security headers
// come from next.config.ts headers().
export const config = {
  matcher: [
    "/((?!api/|patches/new/upload|patches/[^/]+/deployment/tarball|hotfixes/upload|installations/[^/]+/packages/upload|_next/static|_next/image|favicon.ico).*)",
  ],
};
