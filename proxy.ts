import { NextResponse, type NextRequest } from "next/server";

// Redirects visitors without a session cookie to /login. Convenience only: it
// decides nothing. Every page, server action and route handler checks the
// actor itself (CVE-2025-29927 is why).
const PUBLIC = [/^\/login/, /^\/roster/, /^\/emergencies/, /^\/api\//, /^\/_next\//, /^\/favicon/];

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (PUBLIC.some((re) => re.test(pathname))) return NextResponse.next();
  const hasSession = request.cookies.getAll().some((c) => c.name.endsWith("authjs.session-token"));
  if (hasSession) return NextResponse.next();
  return NextResponse.redirect(new URL("/login", request.url));
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
