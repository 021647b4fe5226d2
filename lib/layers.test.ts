import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// The layer rules of ARCHITECTURE.md ("Layers"), run through the project's own eslint.config.mjs
// on code that is never written to disk: each forbidden import must fail with the rule that
// guards it, and the allowed ones must pass, so the rules cannot pass by matching nothing.
const ROOT = fileURLToPath(new URL("..", import.meta.url));

const PATHS = "import/no-restricted-paths";
const PACKAGES = "no-restricted-imports";
const CYCLE = "import/no-cycle";

let layers: ESLint;
let cycles: ESLint;

beforeAll(() => {
  // no-cycle needs the file on disk; the layer fixtures are not.
  layers = new ESLint({ cwd: ROOT, ruleFilter: ({ ruleId }) => ruleId !== CYCLE });
  cycles = new ESLint({ cwd: ROOT, ruleFilter: ({ ruleId }) => ruleId === CYCLE });
});

async function rulesBroken(eslint: ESLint, filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath, warnIgnored: true });
  const watched = [PATHS, PACKAGES, CYCLE];
  return result.messages.flatMap((m) => {
    if (m.fatal) throw new Error(`${filePath}: ${m.message}`);
    return m.ruleId && watched.includes(m.ruleId) ? [m.ruleId] : [];
  });
}

const refused: [string, string, string, string][] = [
  ["domain", "lib/domain/fixture.ts", 'import { db } from "@/lib/db";', PATHS],
  ["domain", "lib/domain/fixture.ts", 'import { db } from "../db";', PATHS],
  [
    "domain",
    "lib/domain/fixture.ts",
    'import type { Patch } from "../generated/prisma/client";',
    PATHS,
  ],
  ["domain", "lib/domain/fixture.ts", 'import { PrismaClient } from "@prisma/client";', PACKAGES],
  ["domain", "lib/domain/fixture.ts", 'import { Pool } from "pg";', PACKAGES],
  ["domain", "lib/domain/fixture.ts", 'import { notFound } from "next/navigation";', PACKAGES],
  ["domain", "lib/domain/fixture.ts", 'import NextAuth from "next-auth";', PACKAGES],
  ["domain", "lib/domain/fixture.ts", 'import { authorize } from "../auth/actor";', PATHS],
  [
    "domain",
    "lib/domain/fixture.ts",
    'import { getPatch } from "@/lib/server/patches/get-patch";',
    PATHS,
  ],
  ["domain", "lib/domain/fixture.ts", 'import { writeOutbox } from "../jobs/outbox";', PATHS],
  [
    "server",
    "lib/server/patches/fixture.ts",
    'import { recordSignoffAction } from "../../actions/patches";',
    PATHS,
  ],
  [
    "server",
    "lib/server/patches/fixture.ts",
    'import { apiRoute } from "@/lib/api/handler";',
    PATHS,
  ],
  [
    "server",
    "lib/server/patches/fixture.ts",
    'import { GET } from "@/app/api/health/route";',
    PATHS,
  ],
  [
    "server",
    "lib/server/patches/fixture.ts",
    'import { revalidatePath } from "next/cache";',
    PACKAGES,
  ],
  [
    "server",
    "lib/server/patches/fixture.ts",
    'import { requireActor } from "../../auth/require-actor";',
    PATHS,
  ],
  [
    "dossier",
    "lib/dossier/fixture.ts",
    'import { buildDossier } from "../server/dossier/build-dossier";',
    PATHS,
  ],
  ["dossier", "lib/dossier/fixture.ts", 'import { db } from "@/lib/db";', PATHS],
  ["crypto", "lib/crypto/fixture.ts", 'import { db } from "../db";', PATHS],
  ["app", "app/(portal)/fixture/page.tsx", 'import { db } from "@/lib/db";', PATHS],
  ["app", "app/api/health/fixture.ts", 'import { db } from "../../../lib/db";', PATHS],
  ["app", "app/(portal)/fixture/page.tsx", 'import { Prisma } from "@prisma/client";', PACKAGES],
  [
    "workers",
    "workers/fixture.ts",
    'import { recordSignoffAction } from "../lib/actions/patches";',
    PATHS,
  ],
  ["workers", "workers/fixture.ts", 'import { GET } from "@/app/api/portal-key/route";', PATHS],
  ["workers", "workers/fixture.ts", 'import { makeSigner } from "../test/signers";', PATHS],
  ["cli", "cli/fixture.ts", 'import { apiRoute } from "../lib/api/handler";', PATHS],
];

const allowed: [string, string, string][] = [
  [
    "domain",
    "lib/domain/fixture.ts",
    'import { z } from "zod";\nimport { ROLES } from "./roles";\nimport { AppError } from "../errors";',
  ],
  [
    "server",
    "lib/server/patches/fixture.ts",
    'import "server-only";\nimport { db } from "../../db";\nimport { can } from "@/lib/domain/permissions";\nimport { appendAuditEvent } from "../audit/append-event";\nimport { authorize } from "../../auth/actor";\nimport { writeOutbox } from "../../jobs/outbox";',
  ],
  [
    "dossier",
    "lib/dossier/fixture.ts",
    'import { derivePatchState } from "../domain/patch-state";\nimport { verifyDetachedSignature } from "@/lib/crypto/verify-signature";',
  ],
  [
    "app",
    "app/(portal)/fixture/page.tsx",
    'import { notFound } from "next/navigation";\nimport { getPatch } from "@/lib/server/patches/get-patch";\nimport { pageActor } from "@/lib/auth/require-actor";',
  ],
  [
    "workers",
    "workers/fixture.ts",
    'import { db } from "../lib/db";\nimport { tickStep } from "../lib/server/deployments/tick-step";',
  ],
  // Tests reach across layers to set up and check the whole.
  [
    "a domain test",
    "lib/domain/fixture.test.ts",
    'import { db } from "../db";\nimport { GET } from "@/app/api/health/route";',
  ],
];

describe("layer rules", { timeout: 60_000 }, () => {
  it.each(refused)("%s: %s refuses %s", async (_, filePath, code, rule) => {
    expect(await rulesBroken(layers, filePath, `${code}\n`)).toContain(rule);
  });

  it.each(allowed)("%s: %s may write %s", async (_, filePath, code) => {
    expect(await rulesBroken(layers, filePath, `${code}\n`)).toEqual([]);
  });

  it("refuses an import cycle", async () => {
    // audit-events.ts imports ROLES from roles.ts, so roles.ts importing it back closes a loop.
    const code =
      'import { AUDIT_ACTIONS } from "./audit-events";\nexport const ROLES = AUDIT_ACTIONS;\n';
    expect(await rulesBroken(cycles, "lib/domain/roles.ts", code)).toEqual([CYCLE]);
    const free =
      'import { STATEMENT_HEADER } from "./statements";\nexport const ROLES = [STATEMENT_HEADER];\n';
    expect(await rulesBroken(cycles, "lib/domain/roles.ts", free)).toEqual([]);
  });
});
