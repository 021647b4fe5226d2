// The patch list and the queue at 100,000 patches and 1,000,000 audit events: p50/p95 of the
// server render (GET /patches, GET /queue with a signed-in session against next start) vs
// the very SQL those pages' server functions send, replayed through pg. Alone:
//   npm run bench -- pages      (BENCH_LARGE_PATCHES, BENCH_LARGE_EVENTS, BENCH_PAGE_RUNS)
import { performance } from "node:perf_hooks";
import pg from "pg";
import { createBenchDatabase, pointAtDatabase } from "./lib/database";
import { isMain, runMain } from "./lib/cleanup";
import { startPortal } from "./lib/server";
import { ms, quantile, sequential, sizeFromEnv } from "./lib/stats";
import { note, report } from "./lib/report";
import { seedLarge } from "./seed-large";

const BENCH = "pages";
const PATCHES = sizeFromEnv("BENCH_LARGE_PATCHES", 100_000);
const EVENTS = sizeFromEnv("BENCH_LARGE_EVENTS", 1_000_000);
const RUNS = sizeFromEnv("BENCH_PAGE_RUNS", 40);
// Patches that need the signed-in assessor, made through the use-cases after the bulk.
const WAITING = 5;

type TQuery = { sql: string; params: unknown[] };

/**
 * Records the SQL the server functions send, at the pg driver that Prisma's adapter uses
 * (whatever lib/db wraps around its client), so the floor replays exactly those statements.
 */
function installRecorder() {
  const recorded: TQuery[] = [];
  let recording = false;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (recording) {
      const [first, second] = args;
      if (typeof first === "string")
        recorded.push({ sql: first, params: Array.isArray(second) ? second : [] });
      else if (first && typeof first === "object" && "text" in first) {
        const q = first as { text: string; values?: unknown[] };
        recorded.push({ sql: q.text, params: q.values ?? [] });
      }
    }
    return original.apply(this, args);
  };
  return {
    async record(fn: () => Promise<unknown>): Promise<TQuery[]> {
      recorded.length = 0;
      recording = true;
      try {
        await fn();
      } finally {
        recording = false;
      }
      return [...recorded];
    },
  };
}

function percentiles(samples: number[]) {
  return `p50 ${ms(quantile(samples, 0.5))}  p95 ${ms(quantile(samples, 0.95))}`;
}

/** Auth.js's own sign-in: the CSRF cookie, the credentials callback, the session cookie. */
async function signIn(base: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${base}/` }),
  });
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => /authjs\.session-token=./.test(c));
  if (!session) throw new Error(`sign-in failed: ${res.status}`);
  return session;
}

export async function main() {
  const { url } = await createBenchDatabase("pages");
  pointAtDatabase(url);
  const recorder = installRecorder();
  const { CLI_BOOTSTRAP } = await import("../lib/auth/actor");
  const { loadActor } = await import("../lib/auth/load-actor");
  const { createUser } = await import("../lib/server/users/create-user");
  const { submitPatch } = await import("../lib/server/patches/submit-patch");
  const { listPatches } = await import("../lib/server/patches/list-patches");
  const { listQueue } = await import("../lib/server/patches/list-queue");
  const { listSystems } = await import("../lib/server/systems/list-systems");
  const { makeSigner, signoff } = await import("../test/signers");
  const { sampleDiff } = await import("../test/diffs");

  let t = performance.now();
  const seeded = await seedLarge(url, { patches: PATCHES, events: EVENTS });
  note(
    BENCH,
    `seeded ${seeded.patches} patches in ${seeded.patchSeconds.toFixed(1)} s and ${seeded.events} audit events in ${seeded.eventSeconds.toFixed(1)} s (bench/seed-large.ts)`,
  );
  // The newest patches wait for review: a developer's, submitted and signed through the use-cases.
  const dev = await makeSigner(["DEVELOPER"]);
  const waiting: number[] = [];
  for (let i = 0; i < WAITING; i++) {
    const p = await submitPatch({
      actor: dev,
      system: "webdb",
      title: `Waiting for review ${i + 1}`,
      summary: "Submitted after the bulk: the assessor's queue should list it.",
      bugId: String(900 + i),
      bugSummary: "bench",
      diff: sampleDiff(`w${i}`),
    });
    await signoff(dev, p.id, "submit");
    waiting.push(p.number);
  }
  const password = `bench-${Math.random().toString(36).slice(2)}-pw`;
  const email = "assessor@bench.example.org";
  const { user } = await createUser({
    actor: CLI_BOOTSTRAP,
    email,
    name: "Bench Assessor",
    roles: ["ASSESSOR"],
    password,
  });
  const actor = (await loadActor(user.id))!;

  // The exact SQL of each page's server functions, recorded once, replayed below through pg.
  const listSql = await recorder.record(() =>
    Promise.all([listPatches({ actor }), listSystems({ actor })]),
  );
  const queueSql = await recorder.record(() => listQueue({ actor }));
  const queue = await listQueue({ actor });
  const shown = waiting.filter((n) => queue.review.some((q) => q.number === n)).length;
  note(
    BENCH,
    `the assessor's queue lists ${shown} of the ${WAITING} patches waiting for their review (${Object.values(queue).reduce((n, l) => n + l.length, 0)} items in all)`,
  );

  // The server functions alone, in this process: no HTTP, no session, no React.
  const fnList = await sequential(RUNS, () =>
    Promise.all([listPatches({ actor }), listSystems({ actor })]),
  );
  const fnQueue = await sequential(RUNS, () => listQueue({ actor }));
  note(
    BENCH,
    `server functions in-process: list ${percentiles(fnList)}; queue ${percentiles(fnQueue)}`,
  );

  t = performance.now();
  const portal = await startPortal(url);
  const cookie = await signIn(portal.url, email, password);
  note(BENCH, `next start and sign-in in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const page = async (path: string, mustHave: string) => {
    const r = await fetch(`${portal.url}${path}`, { headers: { cookie }, redirect: "manual" });
    const html = await r.text();
    if (r.status !== 200 || !html.includes(mustHave))
      throw new Error(`GET ${path}: ${r.status}, ${html.length} bytes, without "${mustHave}"`);
  };
  const newest = `Waiting for review ${WAITING}`;
  for (let i = 0; i < 3; i++) {
    await page("/patches", newest);
    await page("/queue", "Waiting for me");
  }
  const htmlList = await sequential(RUNS, () => page("/patches", newest));
  const htmlQueue = await sequential(RUNS, () => page("/queue", "Waiting for me"));
  await portal.stop();

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const replay = async (queries: TQuery[]) => {
    for (const q of queries) await client.query(q.sql, q.params);
  };
  await replay(listSql);
  await replay(queueSql);
  const sqlList = await sequential(RUNS, () => replay(listSql));
  const sqlQueue = await sequential(RUNS, () => replay(queueSql));
  // BENCH_SQL=1: each statement's own p50, to see which one costs.
  if (process.env.BENCH_SQL === "1")
    for (const q of [...listSql, ...queueSql]) {
      const each = await sequential(10, () => client.query(q.sql, q.params));
      note(BENCH, `${ms(quantile(each, 0.5))}  ${q.sql.replace(/\s+/g, " ").slice(0, 160)}`);
    }
  await client.end();

  const size = `${seeded.patches + WAITING} patches, ${seeded.events}+ audit events`;
  report({
    bench: BENCH,
    operation: `GET /patches (newest 25), signed in, ${size}, ${RUNS} runs one after another`,
    measured: percentiles(htmlList),
    floor: `the ${listSql.length} SQL statements listPatches and listSystems send, replayed through pg`,
    floorMeasured: percentiles(sqlList),
    ratio: quantile(sqlList, 0.5) / quantile(htmlList, 0.5),
  });
  report({
    bench: BENCH,
    operation: `GET /queue (an assessor's), signed in, ${size}, ${RUNS} runs one after another`,
    measured: percentiles(htmlQueue),
    floor: `the ${queueSql.length} SQL statements listQueue sends, replayed through pg`,
    floorMeasured: percentiles(sqlQueue),
    ratio: quantile(sqlQueue, 0.5) / quantile(htmlQueue, 0.5),
  });
}

if (isMain(import.meta.url)) await runMain(main);
