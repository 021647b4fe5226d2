import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../lib/db";
import { loadUpdate, presentUpdate } from "../../lib/server/release-updates/update-facts";
import { resetDatabase } from "../../test/reset";
import { ensurePerson, ensureSystem, generateSigningKey } from "./builders";
import { DEMO_PEOPLE } from "./demo-people";
import type { TDemoKeys } from "./demo-signers";
import { DEMO_UPDATE_TITLE, seedDemoReleaseUpdates } from "./demo-release-updates";

const SIGNERS = ["admin@", "dev@", "ada@", "bert@", "tara@", "theo@"];

describe("the demo certbot SRU", () => {
  beforeEach(resetDatabase);

  it("is approved with its incompatible change acknowledged, focal and jammy verified and noble needed; a second run adds nothing", async () => {
    await ensureSystem({ slug: "webdb", name: "CAcert webdb server", procedure: "WEBDB" });
    const keys: TDemoKeys = new Map();
    for (const p of DEMO_PEOPLE.filter((x) => SIGNERS.some((s) => x.email.startsWith(s)))) {
      const key = await generateSigningKey(p.name, p.email, "demo-pass");
      await ensurePerson({ ...p, password: "x-demo-password", publicKey: key.publicKey });
      keys.set(p.email, { privateKey: key.privateKey, passphrase: "demo-pass" });
    }
    await seedDemoReleaseUpdates(keys);
    await seedDemoReleaseUpdates(keys);

    const rows = await db.updateRecord.findMany({ where: { title: DEMO_UPDATE_TITLE } });
    expect(rows).toHaveLength(1);
    const u = presentUpdate(await loadUpdate(rows[0].id));
    expect(u).toMatchObject({
      state: "APPROVED",
      revision: 1,
      template: { slug: "certbot-sru" },
      packages: ["python-acme", "python-certbot", "python-certbot-apache", "python-certbot-nginx"],
      series: ["focal", "jammy", "noble"],
      todos: [],
    });
    expect(u.tags).toEqual([
      "verification-done-focal",
      "verification-done-jammy",
      "verification-needed-noble",
    ]);
    const incompatible = u.majorChanges.filter((c) => c.incompatible);
    expect(incompatible).toHaveLength(1);
    expect(incompatible[0].acknowledged?.by.name).toBe("Ada Assessor");
    expect(u.reviews.map((r) => [r.signer.name, r.verdict]).sort()).toEqual([
      ["Ada Assessor", "approve"],
      ["Bert Assessor", "approve"],
    ]);
    const noble = u.verification.find((v) => v.series === "noble")!;
    expect(Object.values(noble.checks).map((c) => c.state)).toEqual([
      "missing",
      "missing",
      "missing",
      "missing",
    ]);
    for (const s of ["focal", "jammy"]) {
      const v = u.verification.find((x) => x.series === s)!;
      expect(Object.values(v.checks).map((c) => c.state)).toEqual(["ok", "ok", "ok", "ok"]);
      expect(v.verifiedBy?.verdict).toBe("pass");
    }
    expect(await db.httpsAllowedHost.count({ where: { host: "localhost" } })).toBe(1);
    expect(
      await db.httpsCheck.count({ where: { updateId: u.id, state: "CHECKED", ok: true } }),
    ).toBe(4);
  }, 60_000);
});
