import { expect, test } from "../fixtures/test";
import { createPerson } from "../fixtures/people";
import { signIn } from "../fixtures/session";

test("a tester opening admin pages is refused by the server with 403", async ({ page }) => {
  const tara = createPerson(["tester"]);
  await signIn(page, tara);
  await expect(page.getByRole("link", { name: "Roles" })).toHaveCount(0);
  for (const path of ["/admin/roles", "/admin/audit", "/admin/systems"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "403 — not allowed" })).toBeVisible();
  }
  await page.screenshot({ path: "test-results/screens/forbidden.png" });
});

test("an admin disables a signed-in user, whose live session dies on the next request", async ({
  browser,
}) => {
  const admin = createPerson(["admin"]);
  const theo = createPerson(["tester"], { name: "Theo Disabled" });
  const theoPage = await (await browser.newContext()).newPage();
  await signIn(theoPage, theo);

  const adminPage = await (await browser.newContext()).newPage();
  await signIn(adminPage, admin);
  await adminPage.goto("/admin/roles");
  const row = adminPage.getByRole("row").filter({ hasText: theo.email });
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(
    adminPage.getByRole("status").filter({ hasText: "Account disabled." }),
  ).toBeVisible();

  await theoPage.goto("/profile");
  await expect(theoPage).toHaveURL(/\/login/);
  const api = await theoPage.request.get("/api/v1/me", {
    headers: { authorization: `Bearer ${theo.token}` },
  });
  expect(api.status()).toBe(401);
});

test("an admin revokes a role, which stops counting at once", async ({ browser }) => {
  const admin = createPerson(["admin"]);
  const auditor = createPerson(["arbitrator"], { name: "Rita Revoked" });
  const ritaPage = await (await browser.newContext()).newPage();
  await signIn(ritaPage, auditor);
  expect((await ritaPage.goto("/admin/audit"))?.status()).toBe(200);

  const adminPage = await (await browser.newContext()).newPage();
  await signIn(adminPage, admin);
  await adminPage.goto("/admin/roles");
  const row = adminPage
    .getByRole("row")
    .filter({ hasText: "Rita Revoked" })
    .filter({ hasText: "arbitrator" });
  await row.getByRole("textbox").fill("stepped down");
  await row.getByRole("button", { name: "Revoke" }).click();
  // The grant moves to the revoked list, with who revoked it and why.
  await expect(
    adminPage
      .getByRole("region", { name: "Revoked" })
      .getByRole("row")
      .filter({ hasText: "Rita Revoked" }),
  ).toContainText("stepped down");
  await adminPage.screenshot({ path: "test-results/screens/roles.png", fullPage: true });

  expect((await ritaPage.goto("/admin/audit"))?.status()).toBe(403);
});

test("removing an admin takes two admins: one asks, another confirms", async ({ browser }) => {
  test.setTimeout(120_000);
  const [ada, ben] = [createPerson(["admin"]), createPerson(["admin"])];
  const cleo = createPerson(["admin"], { name: "Cleo Leaving" });
  const adaPage = await (await browser.newContext()).newPage();
  await signIn(adaPage, ada);
  await adaPage.goto("/admin/roles");
  const row = (page: typeof adaPage) =>
    page.getByRole("row").filter({ hasText: "Cleo Leaving" }).filter({ hasText: "admin" });
  await expect(row(adaPage).getByRole("button", { name: "Revoke", exact: true })).toHaveCount(0);
  await row(adaPage).getByRole("textbox").fill("left the team");
  await row(adaPage).getByRole("button", { name: "Ask to revoke" }).click();
  await expect(row(adaPage).getByTestId("removal-request")).toContainText("left the team");
  // The admin who asked cannot confirm; Cleo is still an admin.
  await expect(row(adaPage).getByRole("button", { name: "Confirm removal" })).toHaveCount(0);
  const cleoPage = await (await browser.newContext()).newPage();
  await signIn(cleoPage, cleo);
  expect((await cleoPage.goto("/admin/roles"))?.status()).toBe(200);

  const benPage = await (await browser.newContext()).newPage();
  await signIn(benPage, ben);
  await benPage.goto("/admin/roles");
  await row(benPage).getByRole("button", { name: "Confirm removal" }).click();
  // The grant moves to the revoked list, with the reason the first admin gave.
  await expect(
    benPage
      .getByRole("region", { name: "Revoked" })
      .getByRole("row")
      .filter({ hasText: "Cleo Leaving" }),
  ).toContainText("left the team");
  expect((await cleoPage.goto("/admin/roles"))?.status()).toBe(403);
});
