import { expect, test } from "../fixtures/test";
import { createPerson } from "../fixtures/people";

// Sign-in stays on the address the person typed: the portal trusts the request's
// host (no AUTH_URL in the demo and the e2e run), so signing in at 127.0.0.1 does
// not bounce to localhost, where the new session cookie would not be sent.
const port = process.env.E2E_PORT ?? "3100";

for (const host of ["127.0.0.1", "localhost"]) {
  test(`sign in at http://${host}:<port> and land signed in on ${host}`, async ({ browser }) => {
    const origin = `http://${host}:${port}`;
    const person = createPerson(["assessor"], { name: `Typed Host ${host}` });
    const context = await browser.newContext({ baseURL: origin });
    const page = await context.newPage();
    const seen: string[] = [];
    page.on("framenavigated", (f) => {
      if (f === page.mainFrame()) seen.push(f.url());
    });
    await page.goto(`${origin}/login`);
    await page.getByLabel("Email").fill(person.email);
    await page.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Hello, Typed Host ${host}`);
    expect(new URL(page.url()).origin).toBe(origin);
    expect(seen.every((u) => new URL(u).origin === origin)).toBe(true);
    // The session belongs to this host: a protected page opens on it.
    await page.goto(`${origin}/profile`);
    expect(new URL(page.url()).pathname).toBe("/profile");
    const cookies = await context.cookies(origin);
    expect(cookies.some((c) => c.name.includes("authjs.session-token"))).toBe(true);
    await context.close();
  });
}
