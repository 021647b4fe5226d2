// `npm run bench`: timings of the hot paths against a throwaway database.
// Numbers, not pass/fail: compare them between commits on the same machine.
import { performance } from "node:perf_hooks";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { DEFAULT_DATABASE_URL } from "../lib/env-defaults";

const server = new URL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
const name = `patchgate_bench_${randomBytes(4).toString("hex")}`;
const admin = new URL(server);
admin.pathname = "/postgres";
const url = new URL(server);
url.pathname = `/${name}`;

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms (n=${s.length})`;
}

async function time(label: string, n: number, fn: (i: number) => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  console.log(`${label.padEnd(44)} ${stats(samples)}`);
}

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
    // Imported after DATABASE_URL points at the bench database.
    const { db } = await import("../lib/db");
    const { CLI_BOOTSTRAP } = await import("../lib/auth/actor");
    const { appendAuditEvent } = await import("../lib/server/audit/append-event");
    const { verifyStoredChain } = await import("../lib/server/audit/verify-chain");
    const { addSystem } = await import("../lib/server/systems/add-system");
    const { submitPatch } = await import("../lib/server/patches/submit-patch");
    const { issueStatement } = await import("../lib/server/statements/issue-statement");
    const { recordSignoff } = await import("../lib/server/patches/record-signoff");
    const { verifyDetachedSignature } = await import("../lib/crypto/verify-signature");
    const { makeSigner, detachSign, signoff } = await import("../test/signers");
    const { sampleDiff } = await import("../test/diffs");

    await time("audit event append (one transaction)", 500, () =>
      db.$transaction((tx) =>
        appendAuditEvent(tx, {
          actor: CLI_BOOTSTRAP,
          action: "user.enabled",
          subjectType: "user",
          subjectId: "bench",
          payload: {},
        }),
      ),
    );
    const t0 = performance.now();
    const verdict = await verifyStoredChain();
    console.log(
      `${"audit chain verify".padEnd(44)} ${(performance.now() - t0).toFixed(1)} ms for ${verdict.ok ? verdict.count : "?"} events`,
    );

    await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb", reviewsRequired: 20 });
    const dev = await makeSigner(["DEVELOPER"]);
    const assessors = await Promise.all(Array.from({ length: 20 }, () => makeSigner(["ASSESSOR"])));
    const patch = await submitPatch({
      actor: dev,
      system: "webdb",
      title: "Bench",
      summary: "s",
      bugId: "1",
      bugSummary: "b",
      diff: sampleDiff(),
    });
    await signoff(dev, patch.id, "submit");

    const { statement } = await issueStatement({
      actor: assessors[0],
      patchId: patch.id,
      kind: "review",
      verdict: "approve",
    });
    const signature = await detachSign(assessors[0].privateKey, statement);
    const key = await db.pgpKey.findFirstOrThrow({ where: { userId: assessors[0].id } });
    await time("signature verification (openpgp.js)", 200, () =>
      verifyDetachedSignature({
        statement,
        armoredSignature: signature,
        armoredPublicKey: key.armored,
      }),
    );
    await time("statement issue (nonce + text)", 100, () =>
      issueStatement({
        actor: assessors[1],
        patchId: patch.id,
        kind: "review",
        verdict: "approve",
      }),
    );

    const signed = await Promise.all(
      assessors.map(async (a) => {
        const s = await issueStatement({
          actor: a,
          patchId: patch.id,
          kind: "review",
          verdict: "approve",
        });
        return {
          actor: a,
          statement: s.statement,
          signature: await detachSign(a.privateKey, s.statement),
        };
      }),
    );
    await time("sign-off recorded (verify + transaction)", signed.length, (i) =>
      recordSignoff(signed[i]),
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
