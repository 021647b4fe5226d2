import {
  expect,
  test,
  type Browser,
  type BrowserContext,
  type Cookie,
  type Page,
} from "../fixtures/test";
import { createPerson } from "../fixtures/people";
import { signIn } from "../fixtures/session";
import { expireSessions } from "../fixtures/database";

// Issue 11, finding 2: a session ends on the server. A copy of the cookie taken
// before sign-out (or before the session's absolute end) opens nothing after it.

async function replay(browser: Browser, cookies: Cookie[]): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  return context;
}

/** A signed-in page for a new person, and a copy of its cookies as an attacker would take them. */
async function signedInCopy(page: Page) {
  const ada = createPerson(["assessor"]);
  await signIn(page, ada);
  return { ada, captured: await page.context().cookies() };
}

async function expectRefused(context: BrowserContext) {
  const session = await context.request.get("/api/auth/session");
  expect(session.status()).toBe(200);
  expect(await session.json()).toBeNull();
  // Nothing renewed: no fresh session cookie came back.
  expect(session.headers()["set-cookie"] ?? "").not.toMatch(/authjs\.session-token=[^;]/);
  const page = await context.newPage();
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/login/);
}

test("a cookie captured before the sign-out button is refused after it", async ({
  page,
  browser,
}) => {
  const { ada, captured } = await signedInCopy(page);
  // The copy works while the session lives.
  const before = await replay(browser, captured);
  expect(await (await before.request.get("/api/auth/session")).json()).toMatchObject({
    user: { email: ada.email },
  });
  await before.close();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expectRefused(await replay(browser, captured));
});

test("a cookie captured before POST /api/auth/signout is refused after it", async ({
  page,
  browser,
}) => {
  const { captured } = await signedInCopy(page);
  const api = page.context().request;
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const out = await api.post("/api/auth/signout", {
    form: { csrfToken, callbackUrl: "/login" },
    maxRedirects: 0,
  });
  expect(out.status()).toBe(302);
  await expectRefused(await replay(browser, captured));
});

test("a session past its absolute lifetime is refused, even with a freshly renewed cookie", async ({
  page,
  browser,
}) => {
  const { ada } = await signedInCopy(page);
  // Renewal hands out a new cookie with a new 12 h expiry...
  const renewed = await page.context().request.get("/api/auth/session");
  expect(renewed.headers()["set-cookie"] ?? "").toMatch(/authjs\.session-token=[^;]/);
  const captured = await page.context().cookies();
  // ...but the session's end was fixed at sign-in, and now it has come.
  expect(await expireSessions(ada.email)).toBe(1);
  await expectRefused(await replay(browser, captured));
});
