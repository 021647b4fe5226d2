import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "../fixtures/test";
import {
  createKeyedPerson,
  createSystem,
  diffFile,
  openStatement,
  pageFor,
  signInBrowser,
  uploadPatch,
} from "./patch-helpers";

// What you see is what you sign: the whole diff, hashed in the browser before
// signing, and line comments signed as part of the review.

const SHOTS = "/tmp/shots-diff";

async function noSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  expect(
    serious.map(
      (v) =>
        `${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(", ")})`,
    ),
  ).toEqual([]);
}

/** A diff of several files and `total` lines; the last file ends with a line that says so. */
function bigDiffFile(total: number): string {
  const files = [
    ["www/index.php", 40],
    ["www/lib/big.php", Math.floor(total * 0.7)],
    ["docs/notes.txt", 60],
    ["www/last.php", 0],
  ] as [string, number][];
  // Each file has three header lines; the last file takes what is left.
  const used = files.reduce((n, [, k]) => n + k + 3, 0);
  files[3][1] = total - used;
  const out: string[] = [];
  for (const [name, n] of files) {
    out.push(`--- /dev/null`, `+++ b/${name}`, `@@ -0,0 +1,${n} @@`);
    for (let i = 1; i <= n; i++)
      out.push(
        i === n && name === "www/last.php"
          ? "+LAST LINE OF THE LAST FILE"
          : `+line ${i} of ${name}`,
      );
  }
  const file = path.join(mkdtempSync(path.join(tmpdir(), "pg-e2e-big-")), "big.diff");
  writeFileSync(file, out.join("\n") + "\n");
  return file;
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  const tag = `${viewport.width}`;
  test.describe(`the diff at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test("a line comment is signed with the review and shown inline to everyone", async ({
      browser,
    }) => {
      test.setTimeout(120_000);
      const system = createSystem("webdb");
      const [dev, assessor, tester] = await Promise.all([
        createKeyedPerson(["developer"], { name: "Dora Developer" }),
        createKeyedPerson(["assessor"], { name: "Ada Assessor" }),
        createKeyedPerson(["tester"], { name: "Theo Tester" }),
      ]);
      const devPage = await pageFor(browser, dev, { viewport });
      const url = await uploadPatch(devPage, {
        system,
        title: "Check the query result",
        file: diffFile(tag),
      });
      await signInBrowser(devPage, dev, "Sign the submission");

      const page = await pageFor(browser, assessor, { viewport });
      await page.goto(url);
      await expect(page.getByTestId("diff-loading")).toHaveCount(0);
      await page.getByRole("button", { name: "Comment on www/account.php line 12" }).click();
      await page
        .getByRole("textbox", { name: "Comment on www/account.php line 12" })
        .fill("Log the failure before exit.");
      await page.getByRole("button", { name: "Add to my review" }).click();
      await expect(page.getByTestId("line-comment-draft")).toContainText("Log the failure");
      // The draft survives a reload: it is kept in this browser until signed.
      await page.reload();
      await expect(page.getByTestId("line-comment-draft")).toContainText("Log the failure");
      await page.screenshot({ path: `${SHOTS}/draft-${tag}.png`, fullPage: true });

      const dialog = await openStatement(page, "Sign a review", { verdict: "approve" });
      await expect(dialog.getByTestId("statement")).toContainText(
        'line-comment-1: {"file":"www/account.php","line":12,"text":"Log the failure before exit."}',
      );
      await page.screenshot({ path: `${SHOTS}/statement-${tag}.png` });
      await dialog.getByLabel("Private key file (armored)").setInputFiles(assessor.keyFile);
      await dialog.getByRole("button", { name: "Sign and submit" }).click();
      await expect(dialog.getByRole("status")).toContainText("Signed and recorded");
      await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
      await expect(page.getByTestId("line-comment-draft")).toHaveCount(0);

      // Everyone sees it inline, under line 12, with who signed it.
      const testerPage = await pageFor(browser, tester, { viewport });
      await testerPage.goto(url);
      const shown = testerPage.getByTestId("line-comment");
      await expect(shown).toContainText("Log the failure before exit.");
      await expect(shown).toContainText("Ada Assessor");
      await expect(testerPage.getByRole("button", { name: /^Comment on/ })).toHaveCount(0);
      await testerPage.screenshot({ path: `${SHOTS}/signed-comment-${tag}.png`, fullPage: true });
      console.log(
        `patch page at ${tag}px: document ${await testerPage.evaluate(() => document.documentElement.scrollWidth)} px wide`,
      );
      await noSeriousViolations(testerPage);
      await noSeriousViolations(page);
    });

    test("the whole of a 20,000-line diff is shown, with its file list, and renders fast", async ({
      browser,
    }) => {
      test.setTimeout(120_000);
      const system = createSystem("webdb");
      const dev = await createKeyedPerson(["developer"], { name: "Dora Developer" });
      const page = await pageFor(browser, dev, { viewport });
      await uploadPatch(page, { system, title: "A big one", file: bigDiffFile(20_000) });
      const diff = page.getByTestId("diff");
      await expect(diff).toHaveAttribute("data-render-ms", /\d+/, { timeout: 30_000 });
      console.log(
        `diff of 20,000 lines at ${tag}px: download, hash and render in ${await diff.getAttribute("data-render-ms")} ms`,
      );
      await expect(page.getByTestId("diff-file-list").getByRole("listitem")).toHaveText([
        /www\/index\.php/,
        /www\/lib\/big\.php/,
        /docs\/notes\.txt/,
        /www\/last\.php/,
      ]);
      await expect(diff).toContainText("20000 lines");
      // The file list jumps to the last file; the end of the page is its last line.
      await page.getByRole("link", { name: "www/last.php" }).click();
      await expect(page.getByTestId("diff-file").last().locator("summary")).toBeInViewport();
      await page.keyboard.press("End");
      const last = page.locator('[data-line="20000"]');
      await expect(last).toBeInViewport();
      await expect(last).toContainText("LAST LINE OF THE LAST FILE");
      // The page answers while the diff is on it.
      const t0 = Date.now();
      await page.getByTestId("diff-file").last().locator("summary").click();
      await expect(page.getByTestId("diff-file").last()).not.toHaveAttribute("open");
      console.log(`collapsing a file at ${tag}px took ${Date.now() - t0} ms`);
      await page.getByTestId("diff-file").last().locator("summary").click();
      await page.getByRole("heading", { name: "Diff (r1)" }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/big-diff-${tag}.png` });
      // The download link gives exactly the bytes shown.
      const href = await page
        .getByRole("link", { name: "Download these bytes" })
        .getAttribute("href");
      const res = await page.request.get(href!);
      expect(res.headers()["x-diff-sha256"]).toBe(await diff.getAttribute("data-sha256"));
      await noSeriousViolations(page);
    });

    test("the browser refuses to sign when the diff bytes it shows are not the revision's", async ({
      browser,
    }) => {
      test.setTimeout(120_000);
      const system = createSystem("webdb");
      const [dev, assessor] = await Promise.all([
        createKeyedPerson(["developer"], { name: "Dora Developer" }),
        createKeyedPerson(["assessor"], { name: "Ada Assessor" }),
      ]);
      const devPage = await pageFor(browser, dev, { viewport });
      const url = await uploadPatch(devPage, {
        system,
        title: "Tampered in transit",
        file: diffFile(`t${tag}`),
      });
      await signInBrowser(devPage, dev, "Sign the submission");

      const page = await pageFor(browser, assessor, { viewport });
      // One byte changed between the server and the page.
      await page.route(/\/patches\/[^/]+\/diff\?revision=\d+$/, async (route) => {
        const res = await route.fetch();
        const body = Buffer.from(await res.body());
        const at = body.indexOf("mysql_query");
        body[at] = "M".charCodeAt(0);
        await route.fulfill({ response: res, body });
      });
      await page.goto(url);
      await expect(page.getByTestId("shown-sha256")).toContainText("not the revision's hash");
      const dialog = await openStatement(page, "Sign a review", { verdict: "approve" });
      await expect(dialog.getByRole("alert")).toContainText(
        "Not signed: the diff shown in this page",
      );
      await expect(dialog.getByTestId("statement")).toHaveCount(0);
      await page.screenshot({ path: `${SHOTS}/refused-${tag}.png` });
      await noSeriousViolations(page);
    });
  });
}
