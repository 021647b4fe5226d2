import { describe, expect, it } from "vitest";
import { hashPassword } from "./password";
import { checkPassword } from "./check-password";

// The fastest of several runs of each, taken in turns: a busy machine only ever
// adds time, so the minimum is the run's own cost, and alternating the two
// gives both the same load (a median, or all of one then all of the other,
// still moved with the load on CI).
async function fastestInTurns(a: () => Promise<unknown>, b: () => Promise<unknown>, times = 6) {
  const best = [Infinity, Infinity];
  for (let i = 0; i < times; i++) {
    for (const [k, run] of [a, b].entries()) {
      const t = performance.now();
      await run();
      best[k] = Math.min(best[k], performance.now() - t);
    }
  }
  return best;
}

describe("checkPassword", () => {
  it("accepts the right password and refuses a wrong one or a missing hash", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(await checkPassword(hash, "correct horse battery")).toBe(true);
    expect(await checkPassword(hash, "wrong")).toBe(false);
    expect(await checkPassword(null, "correct horse battery")).toBe(false);
    expect(await checkPassword(undefined, "")).toBe(false);
  });

  it("takes about as long without a user as with one (no account enumeration by timing)", async () => {
    const hash = await hashPassword("correct horse battery");
    await checkPassword(null, "warm-up"); // the dummy hash is computed once, on first use
    const [known, unknown] = await fastestInTurns(
      () => checkPassword(hash, "guess"),
      () => checkPassword(null, "guess"),
    );
    // One Argon2id verification takes tens of milliseconds; answering without one takes microseconds.
    expect(unknown).toBeGreaterThan(known * 0.5);
  });
});
