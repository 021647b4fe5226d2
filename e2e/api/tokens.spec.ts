import { expect, test } from "../fixtures/test";
import { createPerson } from "../fixtures/people";
import { signIn } from "../fixtures/session";

test("the API refuses a missing, wrong or revoked token with a JSON 401", async ({ request }) => {
  const none = await request.get("/api/v1/me");
  expect(none.status()).toBe(401);
  expect((await none.json()).error).toMatchObject({ code: "UNAUTHENTICATED" });

  // The Next.js middleware-bypass header (CVE-2025-29927) changes nothing.
  const bypass = await request.get("/api/v1/me", {
    headers: {
      "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware",
    },
  });
  expect(bypass.status()).toBe(401);

  const wrong = await request.get("/api/v1/me", {
    headers: { authorization: "Bearer pg_" + "A".repeat(43) },
  });
  expect(wrong.status()).toBe(401);
});

test("a token created in the profile asks for the password, shows scope and expiry, and stops when revoked", async ({
  page,
}) => {
  const dana = createPerson(["developer"]);
  await signIn(page, dana);
  await page.goto("/profile");
  await page.getByLabel("Token name").fill("laptop");
  await page.getByLabel("Scope").selectOption("sign");
  await page.getByLabel("Your password").fill("not-danas-password");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "The password is wrong; no token was created." }),
  ).toBeVisible();
  // React resets the form after an action: fill it again.
  await page.getByLabel("Token name").fill("laptop");
  await page.getByLabel("Scope").selectOption("sign");
  await page.getByLabel("Your password").fill(dana.password);
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^pg_/);

  const me = await page.request.get("/api/v1/me", {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ email: dana.email, roles: ["developer"] });

  await page.reload();
  await expect(page.getByText(token)).toHaveCount(0);
  const row = page.getByRole("row").filter({ hasText: "laptop" });
  await expect(row.getByTestId("token-scope")).toHaveText("sign");
  await expect(row).toContainText(/\d{4}-\d{2}-\d{2}/); // last use and expiry recorded
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row.getByText("revoked")).toBeVisible();
  expect(
    (
      await page.request.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } })
    ).status(),
  ).toBe(401);
});

test("a read token may GET and is refused with 403 on POST", async ({ page }) => {
  const dana = createPerson(["developer"]);
  await signIn(page, dana);
  await page.goto("/profile");
  await page.getByLabel("Token name").fill("dashboard");
  await page.getByLabel("Your password").fill(dana.password);
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  const auth = { authorization: `Bearer ${token}` };
  expect((await page.request.get("/api/v1/patches", { headers: auth })).status()).toBe(200);
  const post = await page.request.post("/api/v1/patches", { headers: auth, multipart: {} });
  expect(post.status()).toBe(403);
  expect((await post.json()).error.message).toMatch(/read scope/);
});

test("health reports the database and Redis", async ({ request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  // No worker runs in the e2e setup: its heartbeat is reported, not required.
  expect(await health.json()).toEqual({
    db: "ok",
    redis: "ok",
    worker: expect.stringMatching(/^(ok|stale)$/),
  });
});
