import { expect, test } from "../fixtures/test";
import { createPerson } from "../fixtures/people";
import { signIn } from "../fixtures/session";

test("a person signs in, sees their roles, and signs out", async ({ page }) => {
  const ada = createPerson(["assessor"], { name: "Ada Lovelace" });
  await signIn(page, ada);
  await expect(page.getByRole("heading", { name: "Hello, Ada Lovelace" })).toBeVisible();
  await expect(page.getByText("You act as assessor")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/overview.png", fullPage: true });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/login/);
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  const ada = createPerson(["assessor"]);
  await page.goto("/login");
  await page.getByLabel("Email").fill(ada.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "Wrong email or password." }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await page.screenshot({ path: "test-results/screens/login-error.png" });
});
