import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "../fixtures/test";
import { createPerson } from "../fixtures/people";
import { signIn } from "../fixtures/session";
import { requestedPatch } from "../fixtures/requested-patch";
import { declarePastEmergency } from "../fixtures/emergencies";

// #15 item 9: the audit log, the outbox and the overview read as words, at 1280 and 390 px.

const SHOTS = process.env.E2E_SHOTS_DIR ?? "test-results/screens";

async function noSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
}

/** Nothing in the page's main content reaches past the viewport's right edge. */
async function mainFits(page: Page, what: string) {
  const past = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    return [...document.querySelectorAll("main *")]
      .filter((el) => el.getBoundingClientRect().right > w + 1)
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)} px)`,
      );
  });
  expect(past, `${what}: elements past the right edge`).toEqual([]);
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test(`audit subjects link to their records, payloads are fields, the outbox names patch and recipients (${viewport.width} px)`, async ({
    browser,
    request,
  }) => {
    test.setTimeout(120_000);
    const p = await requestedPatch(request, "webdb");
    const carl = createPerson(["critical-admin"], { name: "Carl Critical" });
    const n = declarePastEmergency(carl.email, p.system, 2);
    const admin = createPerson(["admin"], { name: "Olga Operator" });
    const page = await (await browser.newContext({ viewport })).newPage();
    await signIn(page, admin);

    // The overview: permissions in words.
    const mayDo = page.getByTestId("may-do");
    await expect(mayDo).toContainText("read the audit log");
    await expect(mayDo).not.toContainText(":");
    await mainFits(page, "overview");
    await page.screenshot({
      path: `${SHOTS}/overview-words-${viewport.width}.png`,
      fullPage: true,
    });

    await page.goto("/admin/audit");
    const patchLink = page
      .getByRole("link", { name: `Patch #${p.number} List server certificates of deleted domains` })
      .first();
    await expect(patchLink).toHaveAttribute("href", `/patches/${p.id}`);
    await expect(
      page.getByRole("link", { name: new RegExp(`^Emergency #${n} `) }).first(),
    ).toHaveAttribute("href", `/emergencies/${n}`);
    await expect(page.getByText("diff SHA-256").first()).toBeVisible();
    await expect(page.locator("main")).not.toContainText('{"');
    await mainFits(page, "audit log");
    await page.screenshot({ path: `${SHOTS}/audit-words-${viewport.width}.png`, fullPage: false });
    await noSeriousViolations(page);

    await page.goto("/admin/outbox");
    const row = page
      .locator("tr", { hasText: "emergency.declared" })
      .filter({ hasText: `Emergency #${n}` });
    await expect(row.first()).toContainText("all teams (developers, assessors, testers");
    await mainFits(page, "outbox");
    await page.screenshot({ path: `${SHOTS}/outbox-words-${viewport.width}.png`, fullPage: false });
    await noSeriousViolations(page);
  });
}
