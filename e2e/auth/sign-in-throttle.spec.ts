import { expect, test } from "../fixtures/test";
import { createPerson } from "../fixtures/people";

// Issue 11, finding 4: after 10 wrong passwords the account is locked, the right
// password included, and the login page says for how long.
test("the login page says how long a locked account must wait", async ({ page }) => {
  test.setTimeout(120_000); // eleven sign-ins, each with its Argon2 check
  const ada = createPerson(["assessor"]);
  const attempt = async (password: string) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(ada.email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  };
  for (let i = 1; i <= 9; i++) {
    await attempt(`wrong-${i}`);
    await expect(
      page.getByRole("alert").filter({ hasText: "Wrong email or password." }),
    ).toBeVisible();
  }
  await attempt("wrong-10");
  await expect(
    page.getByRole("alert").filter({
      hasText: "Too many failed sign-ins for this account. Try again in 1 minute.",
    }),
  ).toBeVisible();

  await attempt(ada.password);
  await expect(
    page.getByRole("alert").filter({
      // Under a second later the rest of the minute still rounds up to "1 minute".
      hasText: /Too many failed sign-ins for this account\. Try again in (\d+ seconds?|1 minute)\./,
    }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await page.screenshot({ path: "test-results/screens/login-locked.png" });
});
