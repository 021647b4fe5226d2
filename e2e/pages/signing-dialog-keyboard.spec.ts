import { expect, test, type Locator, type Page } from "../fixtures/test";
import { VIEWPORTS, expectFitsAndAccessible } from "../fixtures/page-checks";
import {
  createKeyedPerson,
  createSystem,
  diffFile,
  pageFor,
  signInBrowser,
  uploadPatch,
} from "../patches/patch-helpers";

// Issue #15, item 7: the signing dialog is a modal used with the keyboard alone.

const SHOTS = "test-results/pages";
const PASSPHRASE = "correct horse battery staple";

/** Presses Tab until `target` has the focus (at most `max` times). */
async function tabTo(page: Page, target: Locator, max = 80, key = "Tab") {
  for (let i = 0; i <= max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached ${target}`);
}

const focusInDialog = (page: Page) =>
  page.evaluate(() => !!document.activeElement?.closest("dialog[open]"));

/** Whether the element lies wholly inside the window as it is (the page not scrolled to it). */
const wholeInWindow = (l: Locator) =>
  l.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
  });

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test("a review signed with the keyboard alone: focus in, trapped, Escape, back to the opener", async ({
      browser,
    }) => {
      test.setTimeout(150_000);
      const system = createSystem("webdb");
      const [dev, ada] = await Promise.all([
        createKeyedPerson(["developer"], { name: "Dora Developer" }),
        createKeyedPerson(["assessor"], { name: "Ada Assessor", passphrase: PASSPHRASE }),
      ]);
      const devPage = await pageFor(browser, dev, { viewport });
      const url = await uploadPatch(devPage, {
        system,
        title: "Keyboard-signed review",
        file: diffFile(`kb${viewport.width}`),
      });
      await signInBrowser(devPage, dev, "Sign the submission");

      // Ada keeps her key in this browser (imported once from her profile).
      const page = await pageFor(browser, ada, { viewport });
      await page.goto("/profile");
      const importer = page.getByRole("region", { name: "Import a private key" });
      await importer.getByLabel("Private key file").setInputFiles(ada.keyFile);
      await importer.getByLabel(/Passphrase of this key/).fill(PASSPHRASE);
      await importer.getByRole("button", { name: "Import into this browser" }).click();
      await expect(importer.getByRole("status")).toContainText("Imported");

      await page.goto(url);
      await expect(page.getByTestId("diff-loading")).toHaveCount(0);
      const opener = page.getByRole("button", { name: "Sign a review" });
      const dialog = page.getByRole("dialog", { name: "Sign a review" });

      // Tab to the opener; Enter opens the dialog with the focus inside it.
      await tabTo(page, opener);
      await page.keyboard.press("Enter");
      await expect(dialog).toBeVisible();
      await expect.poll(() => focusInDialog(page)).toBe(true);
      // Escape closes it, and the focus is back on the opener.
      await page.keyboard.press("Escape");
      await expect(dialog).toHaveCount(0);
      await expect(opener).toBeFocused();

      await page.keyboard.press("Enter");
      await expect(dialog).toBeVisible();
      await expect(dialog.getByRole("radio", { name: "approve" })).toBeFocused();
      await page.keyboard.press("Tab");
      await expect(dialog.getByLabel(/^Comment/)).toBeFocused();
      await page.keyboard.type("Read every line; signed with the keyboard.");
      const getStatement = dialog.getByRole("button", { name: "Get statement" });
      await tabTo(page, getStatement, 5);
      if (viewport.width === 1280) expect(await wholeInWindow(getStatement)).toBe(true);
      await page.keyboard.press("Enter");

      // The statement takes the focus; the passphrase and the sign button follow.
      const statement = dialog.getByTestId("statement");
      await expect(statement).toContainText("patchgate-statement v1");
      await expect(statement).toBeFocused();
      const sign = dialog.getByRole("button", { name: "Sign and submit" });
      await expect(sign).toBeEnabled();
      await page.screenshot({ path: `${SHOTS}/dialog-statement-${viewport.width}.png` });
      // At either size the whole dialog is in the window, its buttons too, the page unscrolled.
      expect(await wholeInWindow(dialog)).toBe(true);
      expect(await wholeInWindow(sign)).toBe(true);
      await expectFitsAndAccessible(page);

      await tabTo(page, dialog.getByLabel(/Passphrase/), 10);
      await page.keyboard.type(PASSPHRASE);
      await tabTo(page, sign, 5);
      // Tab from the last control wraps to the first, Shift+Tab back to the last.
      await page.keyboard.press("Tab");
      await expect(dialog.getByRole("button", { name: "Close" })).toBeFocused();
      await page.keyboard.press("Shift+Tab");
      await expect(sign).toBeFocused();
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press("Tab");
        expect(await focusInDialog(page), `Tab ${i + 1} stays in the dialog`).toBe(true);
      }
      await tabTo(page, sign, 12);
      await page.keyboard.press("Enter");

      await expect(dialog.getByRole("status")).toContainText("Signed and recorded");
      const close = dialog.getByRole("button", { name: "Close", exact: true }).last();
      await expect(close).toBeFocused();
      await page.keyboard.press("Enter");
      await expect(dialog).toHaveCount(0);
      // The page refreshes after a signature: the opener goes (one review per person; the
      // focus coming back to it is checked with Escape above) and the gate names Ada.
      await expect(page.getByTestId("gate-review")).toContainText("Ada Assessor");
      await expect(opener).toHaveCount(0);
    });
  });
}
