import { expect, test, type Browser, type Page } from "../fixtures/test";
import AxeBuilder from "@axe-core/playwright";
import { createPerson } from "../fixtures/people";
import { signIn } from "../fixtures/session";
import { auth, createSystem, keyedPerson, signOver } from "../fixtures/requested-patch";
import { signInBrowser } from "./patch-helpers";

// Issue 10, items 1, 5 and 6 as their users meet them: the late reject, a
// withdraw with a signed reason, an admin changing a system's policy. At the
// desktop and the phone width, with axe-core on every page visited.

const SHOTS = "/tmp/shots-review";

async function noSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual(
    [],
  );
}

async function pageAt(
  browser: Browser,
  viewport: { width: number; height: number },
  who: { email: string; password: string },
) {
  const page = await (await browser.newContext({ viewport })).newPage();
  await signIn(page, who);
  return page;
}

/** A patch uploaded and submitted over the API by a fresh developer; returns its id and people. */
async function submittedPatch(
  request: import("@playwright/test").APIRequestContext,
  title: string,
) {
  const system = createSystem("webdb");
  const dev = await keyedPerson(["developer"], "Dora Developer");
  const created = await request.post("/api/v1/patches", {
    headers: auth(dev),
    multipart: {
      system,
      title,
      summary: "Revoked server certificates were hidden once their domain was deleted.",
      bugId: "4711",
      bugSummary: "If I delete Domains, no Servercerts for this domains are listed",
      diff: {
        name: "fix.diff",
        mimeType: "text/x-diff",
        buffer: Buffer.from(
          `--- a/www/account.php\n+++ b/www/account.php\n@@ -10,3 +10,3 @@\n \t$query = "select * from domains";\n-\t$res = mysql_query($query);\n+\t$res = mysql_query($query); // ${Math.random()}\n \tif (!$res) exit;\n`,
        ),
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  await signOver(request, dev, id, "submit");
  return { id, dev, system };
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test("an assessor who has not voted rejects after two approvals", async ({
      browser,
      request,
    }) => {
      test.setTimeout(120_000);
      // Everyone first: a pause between API calls lets the server close the kept-alive socket.
      const [a1, a2, late] = await Promise.all([
        keyedPerson(["assessor"], "Arne Assessor"),
        keyedPerson(["assessor"], "Alma Assessor"),
        keyedPerson(["assessor"], "Lena Late"),
      ]);
      const { id } = await submittedPatch(request, "Late reject: list server certs");
      await signOver(request, a1, id, "review", "approve");
      await signOver(request, a2, id, "review", "approve");

      const page = await pageAt(browser, viewport, late);
      await page.goto(`/patches/${id}`);
      await expect(page.getByTestId("state-chip")).toHaveText("in test");
      await expect(page.getByTestId("gate-review-count")).toHaveText("2 / 2");
      await noSeriousViolations(page);
      await signInBrowser(page, late, "Sign a review", {
        verdict: "reject",
        comment: "The query still hides certificates of revoked domains.",
      });
      await expect(page.getByTestId("state-chip")).toHaveText("blocked");
      await expect(page.getByTestId("sign-actions")).toContainText("review · reject");
      await noSeriousViolations(page);
      await page.screenshot({
        path: `${SHOTS}/late-reject-${viewport.width}.png`,
        fullPage: true,
      });
    });

    test("the author withdraws a patch with a signed reason", async ({ browser, request }) => {
      test.setTimeout(120_000);
      const assessor = createPerson(["assessor"]);
      const { id, dev } = await submittedPatch(request, "Withdrawn: list server certs");
      const page = await pageAt(browser, viewport, dev);
      await page.goto(`/patches/${id}`);
      await noSeriousViolations(page);

      // No reason: the server refuses (400) and the dialog says why.
      await page.getByRole("button", { name: "Withdraw the patch" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("button", { name: "Get statement" }).click();
      await expect(dialog.getByRole("alert")).toContainText("the comment is required");
      await noSeriousViolations(page);
      await dialog.getByRole("button", { name: "Close", exact: true }).click();

      await signInBrowser(page, dev, "Withdraw the patch", {
        comment: "Superseded by the upstream fix in 2.4.1.",
      });
      await expect(page.getByTestId("state-chip")).toHaveText("withdrawn");
      await expect(page.getByTestId("withdrawal")).toContainText(
        "Superseded by the upstream fix in 2.4.1.",
      );
      await expect(page.getByTestId("withdrawal")).toContainText("Dora Developer");
      await expect(page.getByRole("button", { name: "Withdraw the patch" })).toHaveCount(0);
      await noSeriousViolations(page);
      await page.screenshot({ path: `${SHOTS}/withdrawn-${viewport.width}.png`, fullPage: true });

      // It leaves every queue; the API shows the signed reason.
      const queue = await pageAt(browser, viewport, assessor);
      await queue.goto("/queue");
      await expect(queue.getByText("Withdrawn: list server certs")).toHaveCount(0);
      const view = await (
        await request.get(`/api/v1/patches/${id}`, { headers: auth(dev) })
      ).json();
      expect(view).toMatchObject({
        state: "WITHDRAWN",
        withdrawal: { reason: "Superseded by the upstream fix in 2.4.1." },
      });
    });

    test("an admin changes a system's policy; below two is refused", async ({
      browser,
      request,
    }) => {
      const system = createSystem("webdb");
      const admin = createPerson(["admin"]);
      const page = await pageAt(browser, viewport, admin);
      await page.goto("/admin/systems");
      const panel = page.getByTestId(`system-${system}`);
      await expect(panel).toContainText("2 reviews, 2 tests required");
      await expect(panel.getByLabel("Reviews required")).toHaveAttribute("min", "2");
      await noSeriousViolations(page);
      await panel.getByLabel("Reviews required").fill("3");
      await panel
        .getByLabel("Reason (goes into the audit log)")
        .fill("Three eyes after the incident.");
      await panel.getByRole("button", { name: "Change the policy" }).click();
      await expect(panel.getByRole("status")).toContainText("Policy changed");
      await expect(panel).toContainText("3 reviews, 2 tests required");
      await page.screenshot({ path: `${SHOTS}/systems-${viewport.width}.png`, fullPage: true });

      // The API refuses one review in words, and writes nothing.
      const low = await request.patch(`/api/v1/systems/${system}`, {
        headers: auth(admin),
        data: { reviewsRequired: 1, testsRequired: 2, reason: "fewer eyes" },
      });
      expect(low.status()).toBe(400);
      expect((await low.json()).error.message).toMatch(/at least 2 reviews/);
      await page.reload();
      await expect(page.getByTestId(`system-${system}`)).toContainText(
        "3 reviews, 2 tests required",
      );
    });
  });
}

test("PATCH /api/v1/systems/:slug: admins only, a reason, audited", async ({ request }) => {
  const system = createSystem("webdb");
  const [admin, assessor] = [createPerson(["admin"]), createPerson(["assessor"])];
  const url = `/api/v1/systems/${system}`;
  const body = { reviewsRequired: 2, testsRequired: 3, reason: "Two testers are not enough." };
  expect((await request.patch(url, { headers: auth(assessor), data: body })).status()).toBe(403);
  const noReason = await request.patch(url, {
    headers: auth(admin),
    data: { ...body, reason: "" },
  });
  expect(noReason.status()).toBe(400);
  expect(
    (
      await request.patch(`/api/v1/systems/nope-${system}`, { headers: auth(admin), data: body })
    ).status(),
  ).toBe(404);
  const ok = await request.patch(url, { headers: auth(admin), data: body });
  expect(ok.status(), await ok.text()).toBe(200);
  expect(await ok.json()).toMatchObject({
    slug: system,
    reviewsRequired: 2,
    testsRequired: 3,
    from: { reviewsRequired: 2, testsRequired: 2 },
  });
});

test("a withdraw over the API: 400 without a reason, 403 for another developer", async ({
  request,
}) => {
  const other = await keyedPerson(["developer"]);
  const { id, dev } = await submittedPatch(request, "Withdrawn over the API");
  const bare = await request.get(`/api/v1/patches/${id}/statement`, {
    headers: auth(dev),
    params: { kind: "withdraw" },
  });
  expect(bare.status()).toBe(400);
  expect((await bare.json()).error.code).toBe("VALIDATION");
  const forbidden = await request.get(`/api/v1/patches/${id}/statement`, {
    headers: auth(other),
    params: { kind: "withdraw", comment: "Not mine to withdraw." },
  });
  expect(forbidden.status()).toBe(403);
});
