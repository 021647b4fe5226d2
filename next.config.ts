import type { NextConfig } from "next";
import { BASE_HEADERS, HSTS, NON_PAGE_CSP } from "./lib/api/security-headers";

const headers = (list: readonly (readonly [string, string])[]) =>
  list.map(([key, value]) => ({ key, value }));

const nextConfig: NextConfig = {
  // Several builds side by side (parallel test runs) each get their own folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // The generated Prisma client, pg and argon2 stay server-side Node modules.
  serverExternalPackages: ["@node-rs/argon2", "pg", "pino"],
  experimental: {
    // forbidden() renders app/forbidden.tsx with status 403.
    authInterrupts: true,
    serverActions: { bodySizeLimit: "6mb" },
  },
  poweredByHeader: false,
  // Pages get their headers, CSP nonce included, from proxy.ts. These cover what
  // the proxy never sees: the API, the three upload routes (a proxy would buffer
  // their bodies ahead of the streamed caps) and Next's static files. Read at
  // build time, so HSTS here follows X-Forwarded-Proto, which the reverse proxy
  // must set (docs/configuration.md).
  async headers() {
    return [
      { source: "/:path*", headers: headers(BASE_HEADERS) },
      ...[
        "/api/:path*",
        "/patches/new/upload",
        "/patches/:id/deployment/tarball",
        "/hotfixes/upload",
        "/installations/:slug/packages/upload",
      ].map((source) => ({
        source,
        headers: headers([["Content-Security-Policy", NON_PAGE_CSP]]),
      })),
      {
        source: "/:path*",
        has: [{ type: "header" as const, key: "x-forwarded-proto", value: "https" }],
        headers: headers([["Strict-Transport-Security", HSTS]]),
      },
    ];
  },
};

export default nextConfig;
