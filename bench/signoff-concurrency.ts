// Sign-offs at concurrency 8 through the use-case (decision 0012's measurement):
// 16 assessors × 30 patches = 480 signed reviews, issued and signed before timing,
// then recorded 8 at a time. Run: node --conditions=react-server --import tsx bench/signoff-concurrency.ts
import { performance } from "node:perf_hooks";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { DEFAULT_DATABASE_URL } from "../lib/env-defaults";

const ASSESSORS = Number(process.env.ASSESSORS ?? 16);
const PATCHES = Number(process.env.PATCHES ?? 30);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);

const server = new URL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
const name = `patchgate_bench_${randomBytes(4).toString("hex")}`;
const admin = new URL(server);
admin.pathname = "/postgres";
const url = new URL(server);
url.pathname = `/${name}`;

async function main() {
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  try {
    execFileSync("npx", ["prisma", "migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: url.toString() },
      stdio: "ignore",
    });
    process.env.DATABASE_URL = url.toString();
    const { db } = await import("../lib/db");
    const { CLI_BOOTSTRAP } = await import("../lib/auth/actor");
    const { addSystem } = await import("../lib/server/systems/add-system");
    const { submitPatch } = await import("../lib/server/patches/submit-patch");
    const { issueStatement } = await import("../lib/server/statements/issue-statement");
    const { recordSignoff } = await import("../lib/server/patches/record-signoff");
    const { verifyStoredChain } = await import("../lib/server/audit/verify-chain");
    const { makeSigner, detachSign, signoff } = await import("../test/signers");
    const { sampleDiff } = await import("../test/diffs");

    await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb", reviewsRequired: 20 });
    const dev = await makeSigner(["DEVELOPER"]);
    const assessors = await Promise.all(
      Array.from({ length: ASSESSORS }, () => makeSigner(["ASSESSOR"])),
    );
    const patches = [];
    for (let i = 0; i < PATCHES; i++) {
      const p = await submitPatch({
        actor: dev,
        system: "webdb",
        title: `Bench ${i}`,
        summary: "s",
        bugId: String(i + 1),
        bugSummary: "b",
        diff: sampleDiff(),
      });
      await signoff(dev, p.id, "submit");
      patches.push(p);
    }
    // Interleaved so that 8 consecutive sign-offs are on 8 different patches.
    const work: { actor: (typeof assessors)[number]; statement: string; signature: string }[] = [];
    for (const a of assessors)
      for (const p of patches) {
        const s = await issueStatement({
          actor: a,
          patchId: p.id,
          kind: "review",
          verdict: "approve",
        });
        work.push({
          actor: a,
          statement: s.statement,
          signature: await detachSign(a.privateKey, s.statement),
        });
      }

    const samples: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < work.length) {
          const w = work[next++];
          const t = performance.now();
          await recordSignoff(w);
          samples.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const s = samples.sort((a, b) => a - b);
    const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(0);
    console.log(
      `sign-offs via recordSignoff, concurrency ${CONCURRENCY}: ${work.length} in ${seconds.toFixed(2)} s = ${(work.length / seconds).toFixed(0)}/s, p50 ${q(0.5)} ms, p95 ${q(0.95)} ms`,
    );
    const verdict = await verifyStoredChain();
    console.log(
      `chain after the run: ${verdict.ok ? `intact, ${verdict.count} events` : "BROKEN"}`,
    );
    await db.$disconnect();
  } finally {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
