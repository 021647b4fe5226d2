import { defineConfig } from "vitest/config";
import path from "node:path";

const alias = {
  // Outside Next, "server-only" would throw on import; the modules it guards are server code anyway.
  "server-only": path.resolve("test/empty-module.ts"),
  "@": path.resolve("."),
};

export default defineConfig({
  test: {
    // Integration tests wait on PostgreSQL, Redis and child processes more than on
    // the CPU: three workers keep two cores busy. VITEST_MAX_WORKERS overrides.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 3),
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "workers/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: [
            "lib/**/*.int.test.ts",
            "workers/**/*.int.test.ts",
            "cli/**/*.int.test.ts",
            "prisma/**/*.int.test.ts",
            "test/**/*.int.test.ts",
          ],
          globalSetup: ["test/global-setup.ts"],
          // One database per worker (a copy of the run's template), reset between tests.
          setupFiles: ["test/worker-database.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
