// Sign-offs over HTTP against `next start` vs the floor (bench/floors/signoff-floor.ts), on the
// same signed statements, same count, same concurrency, in the same run. Alone:
//   npm run bench -- signoffs
import os from "node:os";
import { performance } from "node:perf_hooks";
import { createBenchDatabase, pointAtDatabase } from "./lib/database";
import { isMain, runMain } from "./lib/cleanup";
import { startPortal, type TPortal } from "./lib/server";
import { atConcurrency, ms, quantile, rate, sizeFromEnv } from "./lib/stats";
import { note, report } from "./lib/report";
import { prepareSignoffFloor, type TFloorWork } from "./floors/signoff-floor";

const BENCH = "signoffs";
const ASSESSORS = sizeFromEnv("BENCH_ASSESSORS", 16);
const PATCHES = sizeFromEnv("BENCH_PATCHES", 30);
const CONCURRENCY = sizeFromEnv("BENCH_CONCURRENCY", 8);
// BENCH_APPS=N: N `next start` processes on one database, requests spread over them in turn, as
// a load balancer would (the scale-out suite shows several apps are safe together).
const APPS = sizeFromEnv("BENCH_APPS", 1);
const nproc = os.cpus().length;

type TWork = {
  assessor: { token: string; privateKey: string; fingerprint: string };
  patchId: string;
  statement: string;
  signature: string;
};

export async function main() {
  const { url: databaseUrl } = await createBenchDatabase("signoffs");
  pointAtDatabase(databaseUrl);
  const { db } = await import("../lib/db");
  const { CLI_BOOTSTRAP } = await import("../lib/auth/actor");
  const { addSystem } = await import("../lib/server/systems/add-system");
  const { submitPatch } = await import("../lib/server/patches/submit-patch");
  const { verifyStoredChain } = await import("../lib/server/audit/verify-chain");
  const { makeSigner, detachSign, signoff } = await import("../test/signers");
  const { makeToken } = await import("../test/factories");
  const { sampleDiff } = await import("../test/diffs");

  // Seed through the use-cases: a system whose review gate stays open for every assessor
  // (the issue's 16 reviews fit under the policy's maximum of 20), patches submitted by a developer.
  let t = performance.now();
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb", reviewsRequired: 20 });
  const dev = await makeSigner(["DEVELOPER"]);
  const assessors: (Awaited<ReturnType<typeof makeSigner>> & { token: string })[] = [];
  for (let i = 0; i < ASSESSORS; i++) {
    const a = await makeSigner(["ASSESSOR"]);
    assessors.push({ ...a, token: await makeToken(a) });
  }
  const patches: string[] = [];
  for (let i = 0; i < PATCHES; i++) {
    const p = await submitPatch({
      actor: dev,
      system: "webdb",
      title: `Bench patch ${i + 1}`,
      summary: "A patch for the sign-off benchmark.",
      bugId: String(1000 + i),
      bugSummary: "bench",
      diff: sampleDiff(String(i)),
    });
    await signoff(dev, p.id, "submit");
    patches.push(p.id);
  }
  note(
    BENCH,
    `seeded ${ASSESSORS} assessors × ${PATCHES} patches in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  t = performance.now();
  const portals: TPortal[] = [];
  for (let i = 0; i < APPS; i++) portals.push(await startPortal(databaseUrl));
  const portal = {
    url: portals.map((p) => p.url).join(", "),
    cpuSeconds: () => portals.reduce((sum, p) => sum + p.cpuSeconds(), 0),
    stop: () => Promise.all(portals.map((p) => p.stop())),
  };
  let turn = 0;
  note(
    BENCH,
    `next start answered in ${((performance.now() - t) / 1000).toFixed(1)} s at ${portal.url}`,
  );

  // Requests in flight together are by different people for different patches: request i is
  // for patch i mod P by assessor (i + ⌊i/P⌋) mod A, each pair once when gcd(P + 1, A) = 1.
  const pairs = Array.from({ length: ASSESSORS * PATCHES }, (_, i) => ({
    assessor: assessors[(i + Math.floor(i / PATCHES)) % ASSESSORS],
    patchId: patches[i % PATCHES],
  }));
  const distinctPairs = new Set(pairs.map((p) => `${p.patchId}/${p.assessor.id}`));
  if (distinctPairs.size !== pairs.length)
    throw new Error(
      `BENCH_ASSESSORS and BENCH_PATCHES + 1 must be coprime (${ASSESSORS}, ${PATCHES})`,
    );
  const api = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${portals[turn++ % portals.length].url}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...init.headers },
    });

  // Before timing: each statement fetched through the documented API and signed.
  const work: TWork[] = new Array(pairs.length);
  t = performance.now();
  const signed = (
    await atConcurrency(pairs, CONCURRENCY, async (pair, i) => {
      const r = await api(
        `/patches/${pair.patchId}/statement?kind=review&verdict=approve`,
        pair.assessor.token,
      );
      if (r.status !== 200) throw new Error(`GET statement: ${r.status} ${await r.text()}`);
      const statement = await r.text();
      work[i] = {
        ...pair,
        statement,
        signature: await detachSign(pair.assessor.privateKey, statement),
      };
    })
  ).seconds;
  note(BENCH, `fetched and signed ${pairs.length} statements in ${signed.toFixed(1)} s (untimed)`);
  // The sign-off route loads once before timing: a body that fails validation changes nothing.
  const warm = await api(`/patches/${patches[0]}/signoffs`, assessors[0].token, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  if (warm.status !== 400) throw new Error(`warm-up POST answered ${warm.status}`);

  const floorWork: TFloorWork[] = await Promise.all(
    work.map(async (w) => ({
      text: w.statement,
      signature: w.signature,
      key: (await db.pgpKey.findUniqueOrThrow({ where: { fingerprint: w.assessor.fingerprint } }))
        .armored,
    })),
  );
  const floor = await prepareSignoffFloor(CONCURRENCY);
  // The floor runs before and after the portal, so a change in the machine's load shows.
  const floorBefore = await floor.run(floorWork);

  // Next.js's own ceiling on this machine: the same requests (body, token, concurrency) to a
  // path no route serves, answered by the API's 404 without a database, a token check or a
  // signature. No sign-off route can be faster than this.
  const ceiling = await atConcurrency(work, CONCURRENCY, async (w) => {
    const r = await api(`/bench-ceiling/${w.patchId}`, w.assessor.token, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ statement: w.statement, signature: w.signature }),
    });
    if (r.status !== 404) throw new Error(`POST to the ceiling path: ${r.status}`);
    await r.arrayBuffer();
  });

  const cpuBefore = portal.cpuSeconds();
  const timed = await atConcurrency(work, CONCURRENCY, async (w) => {
    const r = await api(`/patches/${w.patchId}/signoffs`, w.assessor.token, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ statement: w.statement, signature: w.signature }),
    });
    if (r.status !== 201) throw new Error(`POST signoffs: ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
  });

  // Where the time goes: a server near one core's worth of CPU is bound by its one Node thread.
  const cpu = portal.cpuSeconds() - cpuBefore;
  note(
    BENCH,
    `next start used ${cpu.toFixed(1)} s of CPU in the ${timed.seconds.toFixed(1)} s burst (${((100 * cpu) / timed.seconds).toFixed(0)} % of one core; ${nproc} cores)`,
  );
  const floorAfter = await floor.run(floorWork);
  await floor.close();
  await portal.stop();

  // Every sign-off recorded once, each with its audit event, and the chain still verifies.
  const [signoffs, distinct, events] = await Promise.all([
    db.signoff.count({ where: { kind: "REVIEW" } }),
    db.$queryRaw<
      { n: number }[]
    >`SELECT count(DISTINCT ("patchId", "signerId"))::int AS n FROM "Signoff" WHERE kind = 'REVIEW'`,
    db.auditEvent.count({
      where: { action: "patch.signed", payload: { path: ["kind"], equals: "REVIEW" } },
    }),
  ]);
  if (signoffs !== work.length || distinct[0].n !== work.length || events !== work.length)
    throw new Error(
      `after the run: ${signoffs} review sign-offs, ${distinct[0].n} distinct, ${events} audit events; expected ${work.length} each`,
    );
  const chain = await verifyStoredChain();
  if (!chain.ok) throw new Error(`audit chain broken at ${chain.firstBadSeq}: ${chain.reason}`);
  note(
    BENCH,
    `checked: ${signoffs} sign-offs, each once, ${events} audit events, chain of ${chain.count} verifies`,
  );
  await db.$disconnect();

  const portalRate = work.length / timed.seconds;
  const floorSeconds = (floorBefore.seconds + floorAfter.seconds) / 2;
  const floorRate = work.length / floorSeconds;
  report({
    bench: BENCH,
    operation: `${work.length} sign-offs, POST /api/v1/patches/:id/signoffs, concurrency ${CONCURRENCY}${APPS > 1 ? `, ${APPS} app processes` : ""}`,
    measured: `${rate(portalRate)}  p50 ${ms(quantile(timed.latencies, 0.5))}  p95 ${ms(quantile(timed.latencies, 0.95))}`,
    floor:
      "openpgp.js verify + one INSERT, same statements and concurrency; mean of a run before and after",
    floorMeasured: `${rate(floorRate)} (before ${rate(work.length / floorBefore.seconds)}, after ${rate(work.length / floorAfter.seconds)})  p50 ${ms(quantile([...floorBefore.latencies, ...floorAfter.latencies], 0.5))}  p95 ${ms(quantile([...floorBefore.latencies, ...floorAfter.latencies], 0.95))}`,
    ratio: portalRate / floorRate,
    goal: 0.5,
  });
  const ceilingRate = work.length / ceiling.seconds;
  report({
    bench: BENCH,
    operation: `ceiling: ${work.length} POSTs of the same bodies to an unknown /api/v1 path (404, no database), concurrency ${CONCURRENCY}`,
    measured: `${rate(ceilingRate)}  p50 ${ms(quantile(ceiling.latencies, 0.5))}  p95 ${ms(quantile(ceiling.latencies, 0.95))}`,
    floor: "the sign-off floor above",
    floorMeasured: rate(floorRate),
    ratio: ceilingRate / floorRate,
  });
}

if (isMain(import.meta.url)) await runMain(main);
