// The large data set for the page benchmark: PATCHES patches and EVENTS audit events in bulk
// SQL (generate_series, and batched unnest inserts for the hash chain), not through the
// use-cases, which would take hours. The rows are valid for the app: every bulk patch is a
// draft with its one revision (a real diff and its SHA-256), each has its `patch.created`
// event, and the chain's other events are `user.enabled` of the bulk authors (a no-op, as
// re-enabling an enabled account is); every event continues the hash chain from its head,
// so `patchgate audit verify` passes. People and systems come through the use-cases.
//
// Alone, against a migrated database of your own (never the portal's):
//   DATABASE_URL=postgresql://.../scratch BENCH_LARGE_PATCHES=100000 BENCH_LARGE_EVENTS=1000000 \
//     node --conditions=react-server --import tsx bench/seed-large.ts
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { auditCanonicalEncoding, GENESIS_HASH } from "../lib/domain/audit-canonical";
import { isMain, runMain } from "./lib/cleanup";
import { sizeFromEnv } from "./lib/stats";

const BATCH = 5000;

export type TBulkEvent = {
  actorId: string | null;
  actorLabel: string;
  action: string;
  subjectType: string;
  subjectId: string;
  payload: object;
};

/**
 * Appends `count` events to the chain, continuing from its stored head, in batches; `make(i)`
 * gives the i-th (0-based). Nothing else may write the chain meanwhile (the seed owns the
 * database). Returns the new head's seq.
 */
export async function appendBulkEvents(
  client: pg.ClientBase,
  count: number,
  make: (i: number) => TBulkEvent,
): Promise<bigint> {
  const { rows } = await client.query<{ head: string; hash: string }>(
    `SELECT seq::text AS head, hash FROM "AuditEvent" ORDER BY "AuditEvent".seq DESC LIMIT 1`,
  );
  let seq = rows[0] ? BigInt(rows[0].head) : 0n;
  let prevHash = rows[0]?.hash ?? GENESIS_HASH;
  const t0 = Date.now();
  for (let start = 0; start < count; start += BATCH) {
    const cols: unknown[][] = Array.from({ length: 10 }, () => []);
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const e = make(i);
      seq += 1n;
      // Milliseconds apart, so `at` grows with `seq` as the portal's own events do.
      const at = new Date(t0 - (count - i));
      const row = { seq, at, ...e, prevHash };
      const hash = createHash("sha256").update(auditCanonicalEncoding(row)).digest("hex");
      const values = [
        seq.toString(),
        at.toISOString(),
        e.actorId,
        e.actorLabel,
        e.action,
        e.subjectType,
        e.subjectId,
        JSON.stringify(e.payload),
        prevHash,
        hash,
      ];
      values.forEach((v, c) => cols[c].push(v));
      prevHash = hash;
    }
    await client.query(
      `INSERT INTO "AuditEvent" (seq, at, "actorId", "actorLabel", action, "subjectType", "subjectId", payload, "prevHash", hash)
       SELECT * FROM unnest($1::bigint[], $2::timestamp(3)[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::text[], $10::text[])`,
      cols,
    );
  }
  return seq;
}

/**
 * Seeds the large data set into a migrated database. People and systems come from the
 * use-cases (already pointed at `url` by the caller's DATABASE_URL); the bulk is SQL.
 */
export async function seedLarge(url: string, sizes: { patches: number; events: number }) {
  const { CLI_BOOTSTRAP } = await import("../lib/auth/actor");
  const { addSystem } = await import("../lib/server/systems/add-system");
  const { createUser } = await import("../lib/server/users/create-user");
  const t0 = performance.now();
  const systems = ["webdb", "signer", "mailer", "www"];
  for (const slug of systems) await addSystem({ actor: CLI_BOOTSTRAP, slug, name: slug });
  const authors: { id: string; label: string }[] = [];
  for (let i = 0; i < 8; i++) {
    const { user } = await createUser({
      actor: CLI_BOOTSTRAP,
      email: `bulk-dev-${i}@bench.example.org`,
      name: `Bulk Developer ${i}`,
      roles: ["DEVELOPER"],
    });
    authors.push({ id: user.id, label: user.email });
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const sys = await client.query<{ id: string; slug: string }>(
      `SELECT id, slug FROM "TargetSystem" WHERE slug = ANY($1) ORDER BY slug`,
      [systems],
    );
    const { rows: base } = await client.query<{ n: number }>(
      `SELECT coalesce(max(number), 0)::int AS n FROM "Patch"`,
    );
    // Drafts, newest last, a minute apart; each patch's one revision by its author.
    await client.query(
      `INSERT INTO "Patch" (id, number, "systemId", title, summary, "bugId", "bugSummary", "authorId", state, "currentRevision", "createdAt", "updatedAt")
       SELECT 'bulk' || lpad(g::text, 9, '0'), $1::int + g,
              ($2::text[])[1 + g % array_length($2::text[], 1)],
              'Bulk patch ' || g, 'A patch of the large benchmark data set.', (100000 + g)::text,
              'bulk bug ' || g, ($3::text[])[1 + g % array_length($3::text[], 1)],
              'DRAFT', 1, now() - ($4::int - g) * interval '1 minute', now() - ($4::int - g) * interval '1 minute'
       FROM generate_series(1, $4::int) g`,
      [base[0].n, sys.rows.map((s) => s.id), authors.map((a) => a.id), sizes.patches],
    );
    await client.query(
      `SELECT setval(pg_get_serial_sequence('"Patch"', 'number'), (SELECT max(number) FROM "Patch"))`,
    );
    await client.query(
      `INSERT INTO "PatchRevision" (id, "patchId", number, diff, "diffSha256", "sizeBytes", "fileCount", "uploadedById", "createdAt")
       SELECT 'bulkrev' || substr(p.id, 5), p.id, 1, d.diff, encode(sha256(d.diff), 'hex'), length(d.diff), 1, p."authorId", p."createdAt"
       FROM "Patch" p
       CROSS JOIN LATERAL (SELECT convert_to(format(E'--- a/www/account.php\\n+++ b/www/account.php\\n@@ -10,3 +10,3 @@\\n \\t$query = "select * from domains";\\n-\\t$res = mysql_query($query);\\n+\\t$res = mysql_query($query); // fix %s\\n \\tif (!$res) exit;\\n', p.number), 'UTF8') AS diff) d
       WHERE p.id LIKE 'bulk%'`,
    );
    const { rows: created } = await client.query<{
      id: string;
      number: number;
      slug: string;
      title: string;
      bugId: string;
      diffSha256: string;
      authorId: string;
    }>(
      `SELECT p.id, p.number, s.slug, p.title, p."bugId", r."diffSha256", p."authorId"
       FROM "Patch" p JOIN "TargetSystem" s ON s.id = p."systemId" JOIN "PatchRevision" r ON r."patchId" = p.id AND r.number = 1
       WHERE p.id LIKE 'bulk%' ORDER BY p.number`,
    );
    const tPatches = performance.now();
    // The events: each patch's creation, then its share of the others, in patch order.
    const events = Math.max(sizes.events, created.length);
    const per = events / Math.max(1, created.length);
    const label = new Map(authors.map((a) => [a.id, a.label]));
    let nextPatch = 0;
    await appendBulkEvents(client, events, (i) => {
      if (nextPatch < created.length && i >= Math.floor(nextPatch * per)) {
        const p = created[nextPatch++];
        return {
          actorId: p.authorId,
          actorLabel: label.get(p.authorId)!,
          action: "patch.created",
          subjectType: "patch",
          subjectId: p.id,
          payload: {
            number: p.number,
            system: p.slug,
            title: p.title,
            bugId: p.bugId,
            diffSha256: p.diffSha256,
          },
        };
      }
      const a = authors[i % authors.length];
      return {
        actorId: null,
        actorLabel: CLI_BOOTSTRAP.label,
        action: "user.enabled",
        subjectType: "user",
        subjectId: a.id,
        payload: {},
      };
    });
    await client.query(`VACUUM ANALYZE "Patch"`);
    await client.query(`VACUUM ANALYZE "PatchRevision"`);
    await client.query(`VACUUM ANALYZE "AuditEvent"`);
    return {
      patches: created.length,
      events,
      patchSeconds: (tPatches - t0) / 1000,
      eventSeconds: (performance.now() - tPatches) / 1000,
    };
  } finally {
    await client.end();
  }
}

if (isMain(import.meta.url))
  await runMain(async () => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL must name a migrated scratch database");
    const r = await seedLarge(url, {
      patches: sizeFromEnv("BENCH_LARGE_PATCHES", 100_000),
      events: sizeFromEnv("BENCH_LARGE_EVENTS", 1_000_000),
    });
    console.log(
      `seeded ${r.patches} patches in ${r.patchSeconds.toFixed(1)} s, ${r.events} audit events in ${r.eventSeconds.toFixed(1)} s`,
    );
  });
