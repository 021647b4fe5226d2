import type { NextConfig } from "next";

const nextConfig: NextConfig = {
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
