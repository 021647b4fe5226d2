// Audit log verification in rows per second vs raw SHA-256 over the same bytes: the stored
// chain's check (verifyStoredChain, what `patchgate audit verify` runs) and the RFC 9162
// Merkle root of the same events as leaves, each beside node:crypto hashing each event's
// canonical encoding once. Alone:   npm run bench -- audit
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { createBenchDatabase, pointAtDatabase } from "./lib/database";
import { isMain, runMain } from "./lib/cleanup";
import { rate, sizeFromEnv } from "./lib/stats";
import { note, report } from "./lib/report";
import { appendBulkEvents } from "./seed-large";

const BENCH = "audit";
const EVENTS = sizeFromEnv("BENCH_AUDIT_EVENTS", 100_000);

/**
 * Best of `runs` timings in seconds of each function, taken in turns: both are pure CPU, so
 * noise only adds, and the machine's other load falls on both alike.
 */
function bestInTurns(runs: number, fns: (() => unknown)[]): number[] {
  const out = fns.map(() => Infinity);
  for (let i = 0; i < runs; i++)
    fns.forEach((fn, j) => {
      const t = performance.now();
      fn();
      out[j] = Math.min(out[j], (performance.now() - t) / 1000);
    });
  return out;
}

export async function main() {
  const { url } = await createBenchDatabase("audit");
  pointAtDatabase(url);
  const { db } = await import("../lib/db");
  const { CLI_BOOTSTRAP } = await import("../lib/auth/actor");
  const { createUser } = await import("../lib/server/users/create-user");
  const { verifyStoredChain } = await import("../lib/server/audit/verify-chain");
  const { auditCanonicalEncoding } = await import("../lib/domain/audit-canonical");
  const { leafHash, rootOf } = await import("../lib/crypto/merkle");
  const { integrateLog } = await import("../lib/server/log/integrate");

  let t = performance.now();
  const { user } = await createUser({
    actor: CLI_BOOTSTRAP,
    email: "audit-bench@bench.example.org",
    name: "Audit Bench",
    roles: ["DEVELOPER"],
  });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await appendBulkEvents(client, EVENTS, (i) => ({
    actorId: i % 2 ? user.id : null,
    actorLabel: i % 2 ? user.email : CLI_BOOTSTRAP.label,
    action: "user.enabled",
    subjectType: "user",
    subjectId: user.id,
    payload: {},
  }));
  await client.query(`VACUUM ANALYZE "AuditEvent"`);
  await client.end();
  note(
    BENCH,
    `seeded ${EVENTS} events in bulk in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  t = performance.now();
  const verdict = await verifyStoredChain();
  const chainSeconds = (performance.now() - t) / 1000;
  if (!verdict.ok) throw new Error(`chain broken at ${verdict.firstBadSeq}: ${verdict.reason}`);
  const rows = verdict.count;

  // The same rows as verifyStoredChain reads them, and their canonical encodings (the bytes hashed).
  t = performance.now();
  const encodings: Buffer[] = [];
  let after = 0n;
  for (;;) {
    const page = await db.auditEvent.findMany({
      where: { seq: { gt: after } },
      orderBy: { seq: "asc" },
      take: 2000,
    });
    for (const r of page) encodings.push(Buffer.from(auditCanonicalEncoding(r)));
    if (page.length < 2000) break;
    after = page[page.length - 1].seq;
  }
  const readSeconds = (performance.now() - t) / 1000;
  const bytes = encodings.reduce((n, e) => n + e.length, 0);
  note(
    BENCH,
    `${rows} events, ${(bytes / rows).toFixed(0)} bytes each encoded; reading them through Prisma and encoding alone takes ${readSeconds.toFixed(2)} s of the chain check`,
  );

  let root: Uint8Array = new Uint8Array();
  const [floorSeconds, treeSeconds] = bestInTurns(5, [
    () => {
      for (const e of encodings) createHash("sha256").update(e).digest();
    },
    () => {
      root = rootOf(encodings.map((e) => leafHash(e)));
    },
  ]);
  const floorRate = rows / floorSeconds;
  const floorText = `${rate(floorRate)} rows (${(bytes / floorSeconds / 1e6).toFixed(0)} MB/s), best of 5`;
  report({
    bench: BENCH,
    operation: `verifyStoredChain over ${rows} stored events (patchgate audit verify)`,
    measured: `${chainSeconds.toFixed(2)} s = ${rate(rows / chainSeconds)} rows`,
    floor: "node:crypto SHA-256 of each event's canonical encoding, in memory",
    floorMeasured: floorText,
    ratio: floorSeconds / chainSeconds,
  });

  // The stored tree as the worker builds it: leaf and node rows, then a signed checkpoint.
  t = performance.now();
  const checkpoint = await integrateLog();
  const integrateSeconds = (performance.now() - t) / 1000;
  if (checkpoint.treeSize !== rows) throw new Error(`integrated ${checkpoint.treeSize} of ${rows}`);
  report({
    bench: BENCH,
    operation: `integrateLog: the same ${rows} events into the stored Merkle tree, one signed checkpoint`,
    measured: `${integrateSeconds.toFixed(2)} s = ${rate(rows / integrateSeconds)} rows`,
    floor: "the same SHA-256 floor: one hash per leaf",
    floorMeasured: floorText,
    ratio: floorSeconds / integrateSeconds,
  });
  await db.$disconnect();

  report({
    bench: BENCH,
    operation: `RFC 9162 Merkle root of the same ${rows} events as leaves (lib/crypto/merkle.ts, in memory)`,
    measured: `${treeSeconds.toFixed(2)} s = ${rate(rows / treeSeconds)} leaves (root ${Buffer.from(root).toString("hex").slice(0, 16)}…), best of 5`,
    floor: "the same SHA-256 floor: one hash per leaf; a tree of n leaves takes 2n − 1 hashes",
    floorMeasured: floorText,
    ratio: floorSeconds / treeSeconds,
  });
}

if (isMain(import.meta.url)) await runMain(main);
