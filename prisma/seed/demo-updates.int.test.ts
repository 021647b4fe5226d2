import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../lib/db";
import { resetDatabase } from "../../test/reset";
import { ensurePerson, generateSigningKey } from "./builders";
import { DEMO_PEOPLE } from "./demo-people";
import type { TDemoKeys } from "./demo-signers";
import { DEMO_INSTALLATION, seedDemoUpdates } from "./demo-updates";

describe("the demo OS4X installation", () => {
  beforeEach(resetDatabase);

  it("trusts a certificate ending in about 40 days, has a verified package three steps into its checklist and a quarantined one; a second run adds nothing", async () => {
    const keys: TDemoKeys = new Map();
    for (const p of DEMO_PEOPLE.filter((x) => x.email.startsWith("cora@"))) {
      const key = await generateSigningKey(p.name, p.email, "demo-pass");
      await ensurePerson({ ...p, password: "x-demo-password", publicKey: key.publicKey });
      keys.set(p.email, { privateKey: key.privateKey, passphrase: "demo-pass" });
    }
    await seedDemoUpdates(keys);
    await seedDemoUpdates(keys);

    const inst = await db.installation.findUniqueOrThrow({
      where: { slug: DEMO_INSTALLATION },
      include: {
        certificates: { where: { removedAt: null } },
        packages: { include: { update: { include: { steps: true } } } },
      },
    });
    expect(inst).toMatchObject({ product: "OS4X", mode: "MANUAL", enterprise: true });
    expect(inst.certificates).toHaveLength(1);
    const daysLeft = (inst.certificates[0].notAfter.getTime() - Date.now()) / 86_400_000;
    expect(daysLeft).toBeGreaterThan(38);
    expect(daysLeft).toBeLessThan(41);

    const byState = Object.fromEntries(inst.packages.map((p) => [p.state, p]));
    expect(inst.packages).toHaveLength(2);
    expect(byState.VERIFIED.update).toMatchObject({ mode: "MANUAL", state: "IN_PROGRESS" });
    expect(byState.VERIFIED.update!.steps.map((s) => s.number).sort()).toEqual([1, 2, 3]);
    expect(byState.QUARANTINED.update).toBeNull();
    expect(byState.QUARANTINED.reason).toMatch(/not the current one/);
  }, 60_000);
});
