import { NextResponse, type NextRequest } from "next/server";

// Redirects visitors without a session cookie to /login. Convenience only: it
// decides nothing. Every page, server action and route handler checks the
// actor itself (CVE-2025-29927 is why).
const PUBLIC = [
  /^\/login/,
  /^\/set-password\//,
  /^\/roster/,
  /^\/emergencies/,
  /^\/_next\//,
  /^\/favicon/,
];

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (PUBLIC.some((re) => re.test(pathname))) return NextResponse.next();
  const hasSession = request.cookies.getAll().some((c) => c.name.endsWith("authjs.session-token"));
  if (hasSession) return NextResponse.next();
  return NextResponse.redirect(new URL("/login", request.url));
}

// The API and the two upload routes never reach the proxy: when a proxy matches a
// POST, Next buffers the whole body first (silently cut at 10 MB), so the
// streamed size caps in lib/api/multipart.ts, lib/api/json-body.ts,
// patches/new/upload/read-capped-form.ts and the step-7 tarball upload would never act. They answer
// 401/403 themselves, and only pages need the redirect.
export const config = {
  matcher: [
    "/((?!api/|patches/new/upload|patches/[^/]+/deployment/tarball|_next/static|_next/image|favicon.ico).*)",
  ],
};
