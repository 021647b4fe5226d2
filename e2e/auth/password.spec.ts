import { expect, test } from "../fixtures/test";
import { createPerson } from "../fixtures/people";
import { sql } from "../fixtures/db";

async function logIn(page: import("@playwright/test").Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a temporary password (an account from before set-password links) must be replaced before anything else opens", async ({
  browser,
}) => {
  const nina = createPerson(["developer"], { name: "Nina New" });
  await sql(`UPDATE "User" SET "mustChangePassword" = true WHERE email = $1`, [nina.email]);
  const email = nina.email;

  const page = await (await browser.newContext()).newPage();
  await logIn(page, email, nina.password);
  await expect(page).toHaveURL(/\/password$/);
  await expect(page.getByText("An admin chose the password you signed in with")).toBeVisible();
  // Every portal page sends her back here; the server decides, not a hidden link.
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/password$/);
  await page.screenshot({ path: "test-results/screens/password-temporary.png" });

  await page.getByLabel("Current password").fill(nina.password);
  await page.getByLabel("New password (at least 10 characters)").fill("ninas-own-password");
  await page.getByLabel("New password again").fill("ninas-own-password");
  await page.getByRole("button", { name: "Set my password" }).click();
  await expect(page).toHaveURL(/\/login\?changed=1$/);
  await expect(page.getByRole("status").filter({ hasText: "Password changed" })).toBeVisible();

  await logIn(page, email, nina.password);
  await expect(
    page.getByRole("alert").filter({ hasText: "Wrong email or password." }),
  ).toBeVisible();
  await logIn(page, email, "ninas-own-password");
  await expect(page.getByRole("heading", { name: "Hello, Nina New" })).toBeVisible();
});
