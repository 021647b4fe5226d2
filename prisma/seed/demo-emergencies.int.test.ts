import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../lib/db";
import { resetDatabase } from "../../test/reset";
import { ensurePerson, ensureSystem, generateSigningKey } from "./builders";
import { DEMO_PEOPLE } from "./demo-people";
import type { TDemoKeys } from "./demo-signers";
import { seedDemoEmergencies } from "./demo-emergencies";

describe("the demo emergencies", () => {
  beforeEach(resetDatabase);

  it("hold a past option-2 emergency with its dispute and a signed ruling, and one on option 1 running on its patch, a false alarm closed; a second run adds nothing", async () => {
    await ensureSystem({ slug: "webdb", name: "webdb" });
    const keys: TDemoKeys = new Map();
    for (const p of DEMO_PEOPLE.filter((x) =>
      ["ada", "bert", "tara", "carl", "ari", "dev"].some((n) => x.email.startsWith(`${n}@`)),
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
    expect(rows.map((r) => r.state)).toEqual(["RESOLVED", "OPTION1", "CLOSED"]);
    expect(rows[0].disputes[0].ruling).toMatchObject({ verdict: "justified" });
    expect(rows[0].patches).toHaveLength(1);
    // Option 1 on a patch: prepared, the 1st review with the transfer, one tester passed.
    expect(rows[1].patches).toEqual([
      expect.objectContaining({ state: "IN_REVIEW", bugId: "1523", currentRevision: 1 }),
    ]);
    const gates = await db.emergencyMove.findMany({
      where: { emergencyId: rows[1].id, kind: "gate" },
      orderBy: { at: "asc" },
    });
    expect(gates.map((g) => g.data)).toEqual([
      expect.objectContaining({ gate: "review-1", develCommit: "4f1c2e9a7b3d" }),
      expect.objectContaining({ gate: "test", verdict: "pass" }),
    ]);
    expect(gates.every((g) => g.statementId)).toBe(true);
    // The false alarm: two signed closings, the declarer's last.
    expect(rows[2].closedAt).toBeInstanceOf(Date);
    const closes = await db.emergencyMove.findMany({
      where: { emergencyId: rows[2].id, kind: "close" },
      orderBy: { at: "asc" },
    });
    expect(closes.map((c) => c.actorId)).toEqual([expect.any(String), rows[2].declaredById]);
    expect(closes.every((c) => c.statementId && c.reason)).toBe(true);
  }, 60_000);
});
