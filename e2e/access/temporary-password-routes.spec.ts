import { expect, test, type APIRequestContext, type Page } from "../fixtures/test";
import { createPerson } from "../fixtures/people";
import { signIn } from "../fixtures/session";
import { markPasswordTemporary } from "../fixtures/database";

// Issue 11, finding 6: the temporary-password gate holds for every route handler
// the browser calls with its session, not only for pages and server actions.
const PATCH = "no-such-patch";

const ROUTES: {
  name: string;
  call: (r: APIRequestContext) => ReturnType<APIRequestContext["get"]>;
}[] = [
  {
    name: "POST /patches/new/upload",
    call: (r) =>
      r.post("/patches/new/upload", {
        headers: { "x-patchgate-upload": "1" },
        multipart: { system: "webdb", title: "t" },
      }),
  },
  {
    name: "POST /patches/:id/deployment/tarball",
    call: (r) =>
      r.post(`/patches/${PATCH}/deployment/tarball?name=src.tar.gz`, {
        headers: { "x-patchgate-upload": "1", "content-type": "application/octet-stream" },
        data: Buffer.from("tarball"),
      }),
  },
  { name: "GET /patches/:id/diff", call: (r) => r.get(`/patches/${PATCH}/diff`) },
  {
    name: "GET /patches/:id/deployment/diff",
    call: (r) => r.get(`/patches/${PATCH}/deployment/diff`),
  },
  { name: "GET /patches/:id/evidence", call: (r) => r.get(`/patches/${PATCH}/evidence`) },
];

async function signInTemporary(page: Page) {
  const nina = createPerson(["admin", "developer", "assessor"]);
  await markPasswordTemporary(nina.email);
  await page.goto("/login");
  await page.getByLabel("Email").fill(nina.email);
  await page.getByLabel("Password").fill(nina.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/password$/, { timeout: 15_000 });
}

for (const route of ROUTES) {
  test(`${route.name}: a temporary password gets 403`, async ({ page }) => {
    await signInTemporary(page);
    const res = await route.call(page.context().request);
    expect(res.status()).toBe(403);
    expect(await res.text()).toContain("Choose your own password first");
  });
}

test("the same routes let a person with their own password through the gate", async ({ page }) => {
  const ada = createPerson(["admin", "developer", "assessor"]);
  await signIn(page, ada);
  for (const route of ROUTES) {
    const res = await route.call(page.context().request);
    // Past the gate the use-case answers (no such patch, a form not filled in, not your step),
    // never the gate's refusal.
    expect(res.status(), route.name).not.toBe(401);
    expect(await res.text(), route.name).not.toContain("Choose your own password first");
  }
});
