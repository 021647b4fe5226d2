import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test, expect } from "../fixtures/test";
import { createSystem, keyedPerson } from "../fixtures/requested-patch";
import { diffFile } from "../patches/patch-helpers";
import { signIn } from "../fixtures/session";
import { expectFitsAndAccessible, VIEWPORTS } from "../fixtures/page-checks";
import { declarePastEmergency, recordMoves } from "../fixtures/emergencies";

// Arbitrators verify offline (issue #15, E7): an option-2 emergency (seeded through
// the use-cases, each move signed) files a dispute; the arbitrator opens it, goes to
// the emergency, downloads its evidence bundle from the page, and `patchgate verify`
// accepts it against the portal's fingerprint, without a database or a network.

for (const viewport of VIEWPORTS) {
  test(`an arbitrator downloads the emergency's bundle and patchgate verify accepts it, at ${viewport.width} px`, async ({
    browser,
    request,
  }) => {
    test.setTimeout(120_000); // about 25 s alone; the CI box is shared
    const system = createSystem("webdb");
    const [carl, ada, ari] = await Promise.all([
      keyedPerson(["critical-admin"], `Carl Critical ${viewport.width}`),
      keyedPerson(["assessor"], `Ada Assessor ${viewport.width}`),
      keyedPerson(["arbitrator"], `Ari Arbitrator ${viewport.width}`),
    ]);
    const n = declarePastEmergency(carl.email, system, 25);
    const by = (p: typeof carl) => ({
      email: p.email,
      keyFile: p.keyFile,
      passphrase: p.passphrase,
    });
    recordMoves(n, [
      { ...by(carl), kind: "option1-unfit", comment: "The 24 hours ran out." },
      {
        ...by(ada),
        kind: "option2-patch",
        comment: "Tested locally against a copy of the database.",
        diff: readFileSync(diffFile(`arb-${viewport.width}`), "utf8"),
      },
      { ...by(carl), kind: "option2-deploy", comment: "Applied at 03:10 UTC, logins checked." },
    ]);

    const page = await (await browser.newContext({ viewport, acceptDownloads: true })).newPage();
    await signIn(page, ari);
    await page.goto("/disputes");
    await expectFitsAndAccessible(page);
    await page
      .getByRole("row")
      .filter({ hasText: `(${system})` })
      .getByRole("link", { name: /Dispute #\d+/ })
      .click();
    await page.waitForURL(/\/disputes\/\d+$/);
    await expectFitsAndAccessible(page);
    await page.getByRole("link", { name: `#${n}`, exact: true }).click();
    await page.waitForURL(`**/emergencies/${n}`);
    await expectFitsAndAccessible(page);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: /evidence bundle/i }).click(),
    ]);
    const file = path.join(test.info().outputDir, download.suggestedFilename());
    await download.saveAs(file);

    const portalKey = await request.get("/api/portal-key");
    expect(portalKey.status()).toBe(200);
    const fingerprint = portalKey.headers()["x-key-fingerprint"];
    const { DATABASE_URL: _db, ...offline } = process.env;
    const verify = spawnSync(
      process.execPath,
      ["bin/patchgate.mjs", "verify", file, "--portal-fingerprint", fingerprint],
      { encoding: "utf8", env: offline },
    );
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain("manifest.json.asc");
  });
}
