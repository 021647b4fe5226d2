import { expect, test, type Page } from "../fixtures/test";
import { declarePastEmergency } from "../fixtures/emergencies";
import {
  DETAIL_PAGES,
  PORTAL_PAGES,
  VIEWPORTS,
  firstLinkTo,
  fitAndAccessibilityProblems,
} from "../fixtures/page-checks";
import { createPerson } from "../fixtures/people";
import { keyedPerson, requestedPatch } from "../fixtures/requested-patch";
import { signIn } from "../fixtures/session";

// Issue #15, item 6: every signed-in page, as each role sees it, fits a 390 px
// phone (no sideways scrolling) and passes axe-core, at 1280 px as well.

const SHOTS = "test-results/pages";
const ROLES = ["admin", "assessor", "tester", "critical-admin", "arbitrator"] as const;

// Records every role can open: a patch through its gates (and its deployment
// page) and an emergency in progress. Lists add what other specs left.
let records: string[] = [];
test.beforeAll(async ({ playwright }) => {
  test.setTimeout(120_000);
  const request = await playwright.request.newContext({
    baseURL: test.info().project.use.baseURL,
  });
  const patch = await requestedPatch(request, "webdb");
  const carl = await keyedPerson(["critical-admin"], "Carl Critical");
  const n = declarePastEmergency(carl.email, patch.system, 2);
  records = [`/patches/${patch.id}`, `/patches/${patch.id}/deployment`, `/emergencies/${n}`];
  await request.dispose();
});

/**
 * Pages whose fixes are being made on another branch of issue #15 (the emergency
 * and dispute pages' own helper): their findings are listed on the test as
 * annotations instead of failing it. EMPTY THIS LIST once those branches are merged.
 */
const PENDING_ELSEWHERE: RegExp[] = [];

/** Opens a page and waits until what it loads after the HTML (a diff) is in; its status. */
async function visit(page: Page, path: string): Promise<number> {
  const response = await page.goto(path);
  await expect(page.getByTestId("diff-loading")).toHaveCount(0, { timeout: 15_000 });
  return response?.status() ?? 0;
}

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    for (const role of ROLES) {
      test(`every page a ${role} reaches fits the window and passes axe`, async ({ page }) => {
        test.setTimeout(300_000);
        const person = createPerson([role]);
        await signIn(page, person);
        // The header's own links for this role, then the pages reached from elsewhere.
        const menu = await page
          .locator("#portal-menu a[href^='/']")
          .evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
        const paths = new Set<string>([...menu, ...PORTAL_PAGES, ...records]);
        for (const d of DETAIL_PAGES) {
          await visit(page, d.list);
          const href = await firstLinkTo(page, d.pattern);
          if (href) paths.add(href);
        }
        const problems: string[] = [];
        const seen: string[] = [];
        const refusals = new Set<number>();
        for (const path of paths) {
          const status = await visit(page, path);
          // A page this role may not open: the 403 (or 404) page, checked once.
          if (status >= 400 && refusals.has(status)) continue;
          refusals.add(status);
          seen.push(`${path} ${await page.evaluate(() => document.documentElement.scrollWidth)}`);
          const found = await fitAndAccessibilityProblems(page);
          if (PENDING_ELSEWHERE.some((p) => p.test(path)))
            for (const f of found) {
              test.info().annotations.push({ type: "pending on another branch", description: f });
              console.log(`pending on another branch: ${f}`);
            }
          else problems.push(...found);
        }
        console.log(`${role} at ${viewport.width}px, page widths: ${seen.join(", ")}`);
        expect(problems).toEqual([]);
      });
    }
  });
}

test.describe("the header at 390×844", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("folds into a menu: a disclosure button, keyboard to open, Escape to close, the current page marked", async ({
    page,
  }) => {
    const admin = createPerson(["admin", "critical-admin"]);
    await signIn(page, admin);
    await page.goto("/patches");
    const toggle = page.getByRole("button", { name: "Menu" });
    const nav = page.getByRole("navigation", { name: "Portal" });
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(toggle).toHaveAttribute("aria-controls", "portal-menu");
    await expect(nav).toBeHidden();
    await page.screenshot({ path: `${SHOTS}/header-closed-390.png` });

    // Skip link, brand, then the menu button: opened with the keyboard.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await expect(toggle).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await expect(nav).toBeVisible();
    await expect(nav.getByRole("link", { name: "Patches" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    await expect(nav.getByRole("link", { name: "Overview" })).not.toHaveAttribute(
      "aria-current",
      /.*/,
    );
    await page.keyboard.press("Tab");
    await expect(nav.getByRole("link", { name: "Overview" })).toBeFocused();
    await page.screenshot({ path: `${SHOTS}/header-open-390.png` });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );

    // Escape closes it and gives the focus back to the button.
    await page.keyboard.press("Escape");
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();
    await expect(toggle).toBeFocused();

    // A link in the menu leads there and the menu is closed on the new page.
    await toggle.click();
    await nav.getByRole("link", { name: "Hotfixes" }).click();
    await page.waitForURL(/\/hotfixes$/);
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await toggle.click();
    await expect(nav.getByRole("link", { name: "Hotfixes" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    // The person's corner is in the menu too.
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  });
});

test.describe("the header at 1280×800", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("shows its links without a menu button", async ({ page }) => {
    await signIn(page, createPerson(["assessor"]));
    await page.goto("/queue");
    await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
    const nav = page.getByRole("navigation", { name: "Portal" });
    await expect(nav.getByRole("link", { name: "Waiting for me" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    await page.screenshot({ path: `${SHOTS}/header-1280.png` });
  });
});

for (const viewport of VIEWPORTS) {
  test.describe(`the skip link at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test("is the first Tab stop of a portal page and of a public one, and Enter moves the focus to main", async ({
      page,
    }) => {
      await signIn(page, createPerson(["tester"]));
      for (const path of ["/patches", "/roster"]) {
        await page.goto(path);
        await page.keyboard.press("Tab");
        const skip = page.getByRole("link", { name: "Skip to content" });
        await expect(skip).toBeFocused();
        await expect(skip).toBeInViewport();
        if (path === "/patches")
          await page.screenshot({ path: `${SHOTS}/skip-link-${viewport.width}.png` });
        await page.keyboard.press("Enter");
        await expect(page.locator("main#main")).toBeFocused();
        // The next Tab goes on from main, past the header.
        await page.keyboard.press("Tab");
        expect(
          await page.evaluate(() => !!document.activeElement?.closest("main")),
          `Tab after the skip link on ${path}`,
        ).toBe(true);
      }
      await page.context().clearCookies();
      // The sign-in page starts in its Email field (autofocus); the skip link is still
      // the first stop of the Tab order, just before it.
      await page.goto("/login");
      await expect(page.getByLabel("Email")).toBeFocused();
      await page.keyboard.press("Shift+Tab");
      await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
      await page.keyboard.press("Enter");
      await expect(page.locator("main#main")).toBeFocused();
    });
  });
}
