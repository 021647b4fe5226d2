import { writeFileSync } from "node:fs";
import { expect, test } from "../fixtures/test";
import {
  createKeyedPerson,
  createSystem,
  diffFile,
  pageFor,
  signInBrowser,
  uploadPatch,
} from "./patch-helpers";

const SCREENS = "test-results/screens";

test("the author's own review is refused with a clear message; a tester sees no review button", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const system = createSystem("webdb");
  const [author, tester, other] = await Promise.all([
    createKeyedPerson(["assessor"], { name: "Alice Author" }),
    createKeyedPerson(["tester"], { name: "Theo Tester" }),
    createKeyedPerson(["assessor"], { name: "Otto Other" }),
  ]);
  const authorPage = await pageFor(browser, author);
  const url = await uploadPatch(authorPage, {
    system,
    title: "Tighten the session check",
    file: diffFile("own"),
  });
  await signInBrowser(authorPage, author, "Sign the submission");

  // The page offers what the server accepts (the same predicate): the author has no review to
  // sign. The server's own refusal is tested in lib/server/patches/gates.int.test.ts.
  await expect(authorPage.getByRole("button", { name: "Sign a review" })).toHaveCount(0);
  await expect(authorPage.getByRole("button", { name: "Withdraw the patch" })).toBeVisible();

  await authorPage.screenshot({ path: `${SCREENS}/patch-sign-refused.png` });

  // A tester may test but never review.
  const testerPage = await pageFor(browser, tester);
  await testerPage.goto(url);
  await expect(testerPage.getByRole("button", { name: "Sign a review" })).toHaveCount(0);
  await signInBrowser(testerPage, tester, "Sign a test result", {
    verdict: "pass",
    comment: "Ran the account pages on test2.",
  });

  // Nothing was recorded for the refused review; it waits for another assessor, not for its author.
  const otherPage = await pageFor(browser, other);
  await otherPage.goto(url);
  await expect(otherPage.getByTestId("gate-review-count")).toHaveText("0 / 2");
  await otherPage.goto("/queue");
  await expect(otherPage.getByTestId("queue-review")).toContainText("Tighten the session check");
  await authorPage.goto("/queue");
  await expect(authorPage.getByText("Tighten the session check")).toHaveCount(0);

  // Rework: revision r2 supersedes every sign-off of r1, which stay visible.
  await authorPage.goto(url);
  await authorPage.getByText("Upload revision r2").click();
  await authorPage.getByLabel("Diff file of the new revision").setInputFiles(diffFile("r2"));
  await authorPage.getByRole("button", { name: "Upload r2" }).click();
  await expect(authorPage.getByTestId("state-chip")).toHaveText("draft");
  await expect(authorPage.getByTestId("gate-test")).toContainText("superseded (r1)");
  await expect(authorPage.getByTestId("gate-submit")).toHaveAttribute("data-status", "open");
  await authorPage.screenshot({ path: `${SCREENS}/patch-detail-superseded.png`, fullPage: true });
});

test("an upload that is not a unified diff is refused with a clear message, and nothing is stored", async ({
  browser,
}) => {
  const system = createSystem("webdb");
  const dev = await createKeyedPerson(["developer"], { name: "Dora Developer" });
  const page = await pageFor(browser, dev);
  const file = diffFile("x").replace(/\.diff$/, ".txt");
  writeFileSync(file, "This is a letter, not a patch.\n");
  await page.goto("/patches/new");
  await page.getByLabel("Target system").selectOption(system);
  await page.getByLabel("Title").fill("Not a diff");
  await page.getByLabel("Bug number").fill("99");
  await page.getByLabel("Bug's short description").fill("n/a");
  await page.getByLabel("Summary").fill("n/a");
  await page.getByLabel(/Diff file/).setInputFiles(file);
  await page.getByRole("button", { name: "Upload patch" }).click();
  await expect(page.locator(".notice.error")).toContainText("This is not a unified diff");
  await expect(page).toHaveURL(/\/patches\/new$/);
  await page.goto(`/patches?system=${system}`);
  await expect(page.getByText("No patches match.")).toBeVisible();
});
