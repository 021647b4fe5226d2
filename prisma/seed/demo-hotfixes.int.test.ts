import { beforeEach, describe, expect, it } from "vitest";
import { CLI_BOOTSTRAP } from "../../lib/auth/actor";
import { resetDatabase } from "../../test/reset";
import { listHotfixes } from "../../lib/server/hotfixes/list-hotfixes";
import { ensurePerson, generateSigningKey } from "./builders";
import { DEMO_PEOPLE } from "./demo-people";
import type { TDemoKeys } from "./demo-signers";
import { seedDemoHotfixes } from "./demo-hotfixes";

describe("the demo hotfixes", () => {
  beforeEach(resetDatabase);

  it("hold a rollout under way and a hotfix refused on a mismatched server; a second run adds nothing", async () => {
    const keys: TDemoKeys = new Map();
    for (const p of DEMO_PEOPLE.filter((x) =>
      ["ada", "carl", "cora"].some((n) => x.email.startsWith(`${n}@`)),
    )) {
      const key = await generateSigningKey(p.name, p.email, "demo-pass");
      await ensurePerson({ ...p, password: "x-demo-password", publicKey: key.publicKey });
      keys.set(p.email, { privateKey: key.privateKey, passphrase: "demo-pass" });
    }
    await seedDemoHotfixes(keys);
    await seedDemoHotfixes(keys);
    const hotfixes = await listHotfixes({ actor: CLI_BOOTSTRAP });
    expect(hotfixes.map((h) => [h.name, h.state])).toEqual([
      ["hotfix_backend_fix_operations_queue", "RELEASED"],
      ["hotfix_common_fix_tags_and_stats", "RELEASED"],
    ]);
    expect(hotfixes[1].applications).toMatchObject([
      { server: "km-fe1", state: "VERIFIED" },
      { server: "km-be1", state: "APPLIED" },
    ]);
    expect(hotfixes[0].applications).toMatchObject([
      {
        server: "km-be2",
        state: "FAILED",
        error: expect.stringMatching(/does not match what the hotfix expects to override/),
      },
    ]);
  }, 60_000);
});
