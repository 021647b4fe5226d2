import { defineConfig } from "vitest/config";
import path from "node:path";

const alias = {
  // Outside Next, "server-only" would throw on import; the modules it guards are server code anyway.
  "server-only": path.resolve("test/empty-module.ts"),
  "@": path.resolve("."),
};

export default defineConfig({
  test: {
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
          // One database per run, reset between tests: files run one after another.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
