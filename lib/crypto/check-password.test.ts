import { describe, expect, it } from "vitest";
import { hashPassword } from "./password";
import { checkPassword } from "./check-password";

async function median(run: () => Promise<unknown>, times = 5) {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[Math.floor(times / 2)];
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
    const known = await median(() => checkPassword(hash, "guess"));
    const unknown = await median(() => checkPassword(null, "guess"));
    // One Argon2id verification takes tens of milliseconds; answering without one takes microseconds.
    expect(unknown).toBeGreaterThan(known * 0.5);
  });
});
