import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "../fixtures/test";
import { checklistFor } from "../../lib/domain/manual-checklist";
import { makeCa, makeSigner, signPackage } from "../../test/update-corpus";
import { closeDialog, createKeyedPerson, pageFor } from "../patches/patch-helpers";

// U1–U4 in the browser: a package signed by the vendor's current signer arrives while the
// installation still trusts the outdated certificate (the seed's "self signed certificate"
// trouble), is quarantined with its reason, the certificate is replaced on the installation
// page, the package re-verified, and the manual checklist ticked in order, each step signed.

const DAY = 86_400_000;
const tag = randomBytes(3).toString("hex");

async function noSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
}

async function noHorizontalScroll(page: Page, what: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  // The widest elements past the edge, to say what to fix.
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > 391)
      .slice(-3)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${e.getBoundingClientRect().right})`),
  );
  expect(width, `${what} at 390 px is ${width} px wide: ${wide.join(", ")}`).toBeLessThanOrEqual(
    390,
  );
}

async function screens(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `test-results/screens/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await noHorizontalScroll(page, name);
  await page.screenshot({ path: `test-results/screens/${name}-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** The vendor's certificates, made with openssl: the outdated one still trusted, the current one. */
function vendor() {
  const dir = mkdtempSync(path.join(tmpdir(), "pg-e2e-upd-"));
  const now = Date.now();
  const outdated = makeCa({
    dir,
    name: "outdated",
    subject: `CN=c-works software update ${tag} 2019, O=c-works`,
    notBefore: new Date(now - 700 * DAY),
    notAfter: new Date(now + 40 * DAY),
  });
  const current = makeCa({
    dir,
    name: "current",
    subject: `CN=c-works software update ${tag} 2026, O=c-works`,
    notBefore: new Date(now - 10 * DAY),
    notAfter: new Date(now + 6 * 365 * DAY),
  });
  const signer = makeSigner({
    dir,
    name: "signer",
    subject: `CN=c-works release signing ${tag}, O=c-works`,
    notBefore: new Date(now - 5 * DAY),
    notAfter: new Date(now + 2 * 365 * DAY),
    ca: current,
  });
  const pkg = signPackage({
    dir,
    name: "os4x3_full_pe_Linux-x86",
    content: "#!/bin/sh\n# OS4X 3 full update\necho updating OS4X\n",
    signer,
    outform: "DER",
  });
  return { outdated, current, signer, pkg };
}

test("a package quarantined by an outdated certificate is re-verified after the replacement and ticked through the manual checklist", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const v = vendor();
  const cora = await createKeyedPerson(["critical_admin"], { name: "Cora Critical" });
  const page = await pageFor(browser, cora);
  const slug = `os4x-${tag}`;

  // The installation, added on the page: manual mode, Enterprise.
  await page.goto("/installations");
  await expect(page.getByRole("link", { name: "Installations" })).toBeVisible();
  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Name").fill(`OS4X production ${tag}`);
  await page.getByLabel("Product").fill("OS4X");
  await page.getByLabel("Update mode").selectOption("manual");
  await page.getByLabel(/Enterprise/).check();
  await page.getByRole("button", { name: "Add installation" }).click();
  await page.waitForURL(`**/installations/${slug}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`OS4X production ${tag}`);

  // It trusts the outdated certificate, which ends in 40 days: the banner says so.
  await page.getByLabel(/^Certificate \(X\.509/).setInputFiles(v.outdated.certPath);
  await page.getByRole("button", { name: "Trust this certificate" }).click();
  const banner = page.getByTestId("expiry-banner");
  await expect(banner).toContainText(/ends in (39|40) days/);
  await expect(banner).toContainText(v.outdated.subject);
  await expect(banner).toContainText(/GMT/);
  await noSeriousViolations(page);
  await screens(page, "installation-banner");

  // The package signed by the vendor's current signer is quarantined, and says why.
  await page.getByLabel(/^Package \(/).setInputFiles(v.pkg.path);
  await page.getByRole("button", { name: "Upload package" }).click();
  await page.waitForURL(/\/packages\/[^/]+$/);
  const packageUrl = page.url();
  await expect(page.getByTestId("package-state")).toHaveText("QUARANTINED");
  const reason = page.getByTestId("quarantine-reason");
  await expect(reason).toContainText(v.signer.subject);
  await expect(reason).toContainText(/not the current one/);
  await expect(page.getByRole("link", { name: "Download the content" })).toHaveCount(0);
  await noSeriousViolations(page);
  await screens(page, "package-quarantined");

  // The certificate is replaced with the current one on the installation page.
  await page.goto(`/installations/${slug}`);
  const card = page.locator("li", { hasText: v.outdated.subject });
  await card.getByLabel(/Replace with/).setInputFiles(v.current.certPath);
  await card.getByRole("button", { name: "Replace", exact: true }).click();
  await expect(page.getByText(v.current.subject).first()).toBeVisible();
  await expect(page.getByText(v.outdated.subject)).toHaveCount(0);
  await expect(page.getByTestId("expiry-banner")).toHaveCount(0);
  await expect(page.getByRole("row", { name: /QUARANTINED/ })).toBeVisible();

  // Re-verified: a new verdict, the content offered.
  await page.goto(packageUrl);
  await page.getByRole("button", { name: "Re-verify" }).click();
  await expect(page.getByTestId("package-state")).toHaveText("VERIFIED");
  await expect(page.getByRole("link", { name: "Download the content" })).toBeVisible();
  const history = page.getByRole("region", { name: "Verdict history" });
  await expect(history.getByRole("row")).toHaveCount(3);

  // The manual checklist, in order, each step signed in the browser.
  const steps = checklistFor(true);
  expect(steps).toHaveLength(10);
  for (const [i, s] of steps.entries()) {
    const item = page.getByTestId(`checklist-step-${s.number}`);
    await expect(item).toHaveAttribute("data-status", "next");
    if (i + 1 < steps.length)
      await expect(page.getByTestId(`checklist-step-${steps[i + 1].number}`)).toHaveAttribute(
        "data-status",
        "later",
      );
    for (const label of Object.values(s.confirmLabels)) await item.getByLabel(label).check();
    if (s.key === "backup") await item.getByLabel(/^Note/).fill("tar of /opt/os4x on backup01");
    await item.getByRole("button", { name: `Sign step ${s.number}` }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Get statement" }).click();
    await expect(dialog.getByTestId("statement")).toContainText("kind: package-step");
    await expect(dialog.getByTestId("statement")).toContainText(`step: ${s.number}`);
    await dialog.getByLabel("Private key file (armored)").setInputFiles(cora.keyFile);
    await dialog.getByRole("button", { name: "Sign and submit" }).click();
    await expect(dialog.getByRole("status")).toContainText("Signed and recorded");
    await closeDialog(page);
    await expect(item).toHaveAttribute("data-status", "done");
    await expect(item).toContainText("Cora Critical");
    if (i === 2) {
      await noSeriousViolations(page);
      await screens(page, "package-checklist");
    }
  }
  await expect(page.getByTestId("update-completed")).toBeVisible();
  await expect(page.getByTestId("checklist-step-1")).toContainText("tar of /opt/os4x on backup01");
  await screens(page, "package-completed");
});
