import type { NextConfig } from "next";

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
};

export default nextConfig;
