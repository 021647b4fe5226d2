import { performance } from "node:perf_hooks";

/** The q-quantile of samples (nearest rank). */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export type TTimed = { seconds: number; latencies: number[] };

/** Runs fn over every item with at most `concurrency` in flight; the wall time and each call's latency in ms. */
export async function atConcurrency<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, i: number) => Promise<unknown>,
): Promise<TTimed> {
  const latencies = new Array<number>(items.length);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        const t = performance.now();
        await fn(items[i], i);
        latencies[i] = performance.now() - t;
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, latencies };
}

/** Runs fn n times one after another; each call's latency in ms. */
export async function sequential(
  n: number,
  fn: (i: number) => Promise<unknown>,
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

export const ms = (v: number) => `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ms`;
export const rate = (v: number) =>
  `${v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString("en-US")}/s`;

/** An env override that must be a positive integer, or the default. */
export function sizeFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}
