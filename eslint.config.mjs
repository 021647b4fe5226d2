import path from "node:path";
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";

const ROOT = import.meta.dirname;

// Layers (ARCHITECTURE.md, "Layers"): what each folder's own modules may import. Whatever in
// the repository a layer does not list is refused, so a new folder starts closed. The globs
// are matched against the file an import resolves to, so "@/lib/db" and "../../db" are one
// thing. Single files are written "@(name)" because a zone's exceptions must all be globs.
const A = {
  leaves: { name: "lib/errors.ts, lib/xml.ts, lib/format.ts", glob: "lib/@(errors|xml|format).ts" },
  env: { name: "lib/env*.ts", glob: "lib/env*.ts" },
  db: { name: "lib/db.ts", glob: "lib/@(db).ts" },
  generated: { name: "lib/generated", glob: "lib/generated/**" },
  redis: { name: "lib/redis.ts", glob: "lib/@(redis).ts" },
  logger: { name: "lib/logger.ts", glob: "lib/@(logger).ts" },
  domain: { name: "lib/domain", glob: "lib/domain/**" },
  crypto: { name: "lib/crypto", glob: "lib/crypto/**" },
  dossier: { name: "lib/dossier", glob: "lib/dossier/**" },
  hotfix: { name: "lib/hotfix", glob: "lib/hotfix/**" },
  update: { name: "lib/update", glob: "lib/update/**" },
  mail: { name: "lib/mail", glob: "lib/mail/**" },
  net: { name: "lib/net", glob: "lib/net/**" },
  browser: { name: "lib/browser", glob: "lib/browser/**" },
  jobs: { name: "lib/jobs", glob: "lib/jobs/**" },
  // The part of lib/auth that knows nothing of Next, so the CLI and the worker can load it.
  actor: {
    name: "lib/auth/actor.ts, lib/auth/load-actor.ts",
    glob: "lib/auth/@(actor|load-actor).ts",
  },
  auth: { name: "lib/auth", glob: "lib/auth/**" },
  server: { name: "lib/server", glob: "lib/server/**" },
  actions: { name: "lib/actions", glob: "lib/actions/**" },
  api: { name: "lib/api", glob: "lib/api/**" },
};

const LAYERS = [
  { name: A.leaves.name, files: [A.leaves.glob], mayImport: [] },
  {
    name: "lib/env*.ts, lib/db.ts, lib/redis.ts, lib/logger.ts",
    files: [A.env.glob, A.db.glob, A.redis.glob, A.logger.glob],
    mayImport: [A.env, A.generated],
  },
  { name: "lib/domain", files: ["lib/domain/**"], mayImport: [A.leaves] },
  { name: "lib/crypto", files: ["lib/crypto/**"], mayImport: [A.domain, A.leaves] },
  {
    name: "lib/update",
    files: ["lib/update/**"],
    mayImport: [A.crypto, A.domain, A.leaves],
  },
  {
    name: "lib/dossier",
    files: ["lib/dossier/**"],
    // lib/update: an update record's bundle is re-verified offline as the portal verified it.
    mayImport: [A.update, A.crypto, A.domain, A.leaves],
  },
  {
    name: "lib/hotfix",
    files: ["lib/hotfix/**"],
    mayImport: [A.crypto, A.domain, A.leaves],
  },
  { name: "lib/mail", files: ["lib/mail/**"], mayImport: [A.crypto, A.domain, A.leaves] },
  {
    // The HTTPS check's TLS probe (release updates, S3): sockets, no database.
    name: "lib/net",
    files: ["lib/net/**"],
    mayImport: [A.update, A.crypto, A.domain, A.leaves],
  },
  {
    name: "lib/browser",
    files: ["lib/browser/**"],
    mayImport: [A.crypto, A.domain, A.leaves],
  },
  {
    name: "lib/jobs",
    files: ["lib/jobs/**"],
    mayImport: [A.db, A.generated, A.env, A.crypto, A.domain, A.leaves],
  },
  {
    name: "lib/auth",
    files: ["lib/auth/**"],
    // lib/server: Auth.js's authorize() and sign-out event call the sign-in use-cases.
    mayImport: [A.server, A.db, A.generated, A.env, A.crypto, A.domain, A.leaves],
  },
  {
    name: "lib/server",
    files: ["lib/server/**"],
    mayImport: [
      A.actor,
      A.jobs,
      A.dossier,
      A.hotfix,
      A.update,
      A.mail,
      A.net,
      A.db,
      A.generated,
      A.redis,
      A.env,
      A.crypto,
      A.domain,
      A.leaves,
    ],
  },
  {
    name: "lib/actions",
    files: ["lib/actions/**"],
    mayImport: [A.server, A.auth, A.env, A.crypto, A.domain, A.leaves],
  },
  {
    name: "lib/api",
    files: ["lib/api/**"],
    mayImport: [A.server, A.auth, A.dossier, A.env, A.crypto, A.domain, A.leaves],
  },
  {
    name: "app/ (and proxy.ts)",
    files: ["app/**", "@(proxy).ts"],
    mayImport: [
      A.actions,
      A.api,
      A.server,
      A.auth,
      A.browser,
      A.dossier,
      A.env,
      A.crypto,
      A.domain,
      A.leaves,
    ],
  },
  {
    name: "workers/",
    files: ["workers/**"],
    mayImport: [
      A.server,
      A.actor,
      A.jobs,
      A.mail,
      A.net,
      A.db,
      A.generated,
      A.env,
      A.logger,
      A.crypto,
      A.domain,
      A.leaves,
    ],
  },
  {
    name: "cli/",
    files: ["cli/**"],
    mayImport: [
      A.server,
      A.actor,
      A.dossier,
      A.hotfix,
      A.update,
      A.db,
      A.generated,
      A.env,
      A.crypto,
      A.domain,
      A.leaves,
    ],
  },
];

// Tests reach across layers to set up and check the whole; test/, e2e/, prisma/, scripts/ and
// bench/ are harness and tools, not layers.
const TESTS = ["**/*.test.ts", "**/*.test.tsx"];

// Test helpers still in production folders; they move out in issue 9, part 5. Remove then.
const layerZones = LAYERS.map(({ name, files, mayImport }) => ({
  target: files,
  from: "./**",
  except: [...new Set([...files, ...mayImport.map((a) => a.glob), "node_modules/**"])].map((glob) =>
    path.join(ROOT, glob),
  ),
  message: `${name} may import only itself${mayImport.map((a) => `, ${a.name}`).join("")} and packages (ARCHITECTURE.md, "Layers").`,
}));

// Packages are refused by the name imported: where one resolves to depends on the install.
const DATABASE = {
  regex: "^(@prisma/[^/]+|pg)(/.*)?$|(^|/)generated/prisma(/|$)",
  message: 'No database here: data comes through lib/server (ARCHITECTURE.md, "Layers").',
};
const NEXT = {
  regex: "^(next|next-auth|@auth/[^/]+)(/.*)?$",
  message:
    'Next.js and Auth.js stay in app/, lib/actions, lib/api and lib/auth: this code also runs in the CLI and the worker (ARCHITECTURE.md, "Layers").',
};
const QUEUES = {
  regex: "^(bullmq|ioredis)(/.*)?$",
  message: 'Redis and the queues belong to lib/jobs and the worker (ARCHITECTURE.md, "Layers").',
};

const PACKAGE_RULES = [
  {
    files: ["lib/domain/**", "lib/crypto/**", "lib/dossier/**", "lib/mail/**"],
    patterns: [DATABASE, NEXT, QUEUES],
  },
  { files: ["lib/browser/**"], patterns: [DATABASE, QUEUES] },
  { files: ["lib/server/**", "lib/jobs/**", "workers/**", "cli/**"], patterns: [NEXT] },
  { files: ["app/**", "proxy.ts", "lib/actions/**", "lib/api/**"], patterns: [DATABASE] },
];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    ".next-*/**",
    "node_modules/**",
    "lib/generated/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
    ".demo/**",
  ]),
  {
    // no-cycle follows only the project's own imports; parsing every package as well doubled
    // the time `eslint .` takes.
    settings: { "import/ignore": ["node_modules"] },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Nothing imports a test, so no cycle can run through one.
    files: ["**/*.{ts,tsx,mjs,js}"],
    ignores: TESTS,
    rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    files: ["**/*.{ts,tsx,mjs,js}"],
    ignores: TESTS,
    rules: {
      "import/no-restricted-paths": ["error", { basePath: ROOT, zones: layerZones }],
    },
  },
  ...PACKAGE_RULES.map(({ files, patterns }) => ({
    files,
    ignores: TESTS,
    rules: { "no-restricted-imports": ["error", { patterns }] },
  })),
  // Layout is the formatter's job (npm run format); the linter keeps to meaning.
  prettier,
]);
