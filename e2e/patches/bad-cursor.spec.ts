import { expect, test } from "../fixtures/test";
import { createPerson } from "../fixtures/people";
import { signIn } from "../fixtures/session";

// A hand-edited or stale page link is input like any other: the list pages
// show their newest page with a note instead of failing with a 500.
test("the patch list and the audit log ignore a bad ?before= cursor", async ({ page }) => {
  const admin = createPerson(["admin"]);
  await signIn(page, admin);

  for (const before of ["abc", "0", "-3", "1.5"]) {
    const patches = await page.goto(`/patches?before=${before}`);
    expect(patches?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Patches");
    await expect(page.getByText("The page link was not valid")).toBeVisible();

    const audit = await page.goto(`/admin/audit?before=${before}`);
    expect(audit?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit log");
    await expect(page.getByText("The page link was not valid")).toBeVisible();
  }

  // An over-long filter value is left out with a note, too.
  const audit = await page.goto(`/admin/audit?subject=${"x".repeat(500)}`);
  expect(audit?.status()).toBe(200);
  await expect(
    page.getByText("Some filters were not valid and were left out: subject."),
  ).toBeVisible();

  // A good cursor still pages, without the note.
  await page.goto("/admin/audit?before=1000000");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit log");
  await expect(page.getByText("The page link was not valid")).toHaveCount(0);
});
