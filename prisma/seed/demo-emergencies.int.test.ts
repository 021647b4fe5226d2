import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../lib/db";
import { resetDatabase } from "../../test/reset";
import { ensurePerson, ensureSystem, generateSigningKey } from "./builders";
import { DEMO_PEOPLE } from "./demo-people";
import type { TDemoKeys } from "./demo-signers";
import { seedDemoEmergencies } from "./demo-emergencies";

describe("the demo emergencies", () => {
  beforeEach(resetDatabase);

  it("hold a past option-2 emergency with its dispute and a signed ruling, and one on the fast path; a second run adds nothing", async () => {
    await ensureSystem({ slug: "webdb", name: "webdb" });
    const keys: TDemoKeys = new Map();
    for (const p of DEMO_PEOPLE.filter((x) =>
      ["ada", "bert", "tara", "carl", "ari"].some((n) => x.email.startsWith(`${n}@`)),
    )) {
      const key = await generateSigningKey(p.name, p.email, "demo-pass");
      await ensurePerson({ ...p, password: "x-demo-password", publicKey: key.publicKey });
      keys.set(p.email, { privateKey: key.privateKey, passphrase: "demo-pass" });
    }
    await seedDemoEmergencies(keys);
    await seedDemoEmergencies(keys);
    const rows = await db.emergency.findMany({
      orderBy: { number: "asc" },
      include: { disputes: { include: { ruling: true } }, patches: true },
    });
    expect(rows.map((r) => r.state)).toEqual(["RESOLVED", "OPTION1"]);
    expect(rows[0].disputes[0].ruling).toMatchObject({ verdict: "justified" });
    expect(rows[0].patches).toHaveLength(1);
  }, 60_000);
});
