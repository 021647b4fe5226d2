import { expect, test } from "@playwright/test";
import { signIn } from "../fixtures/session";
import { auth, keyedPerson, requestedPatch } from "../fixtures/requested-patch";

const FAILED_OUTPUT =
  "patching file www/account.php\nHunk #1 FAILED at 10.\n1 out of 1 hunk FAILED -- saving rejects to file www/account.php.rej";

test("a failed apply stops the record: the banner, rework, and nothing after step 5 can be ticked", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const patch = await requestedPatch(request, "webdb");
  const admin = await keyedPerson(["critical-admin"], "Felix Failing");

  // Steps 1–4 over the API, as a script could; step 5 in the browser.
  expect(
    (
      await request.post(`/api/v1/patches/${patch.id}/deployment`, { headers: auth(admin) })
    ).status(),
  ).toBe(201);
  const evidence: Record<number, object> = {
    1: {},
    2: {},
    3: { checksumMatched: true },
    4: { assessment: "Low risk", webServerStopped: false },
  };
  for (const n of [1, 2, 3, 4]) {
    const res = await request.post(`/api/v1/patches/${patch.id}/deployment/steps/${n}`, {
      headers: auth(admin),
      data: { evidence: evidence[n] },
    });
    expect(res.status(), await res.text()).toBe(200);
  }

  await signIn(page, admin);
  await page.goto(`/patches/${patch.id}/deployment`);
  const step = (n: number) => page.getByTestId(`step-${n}`);
  await expect(step(4)).toHaveAttribute("data-status", "done");
  await step(5).getByLabel("Output of patch").fill(FAILED_OUTPUT);
  await step(5).getByLabel("Failed — backed out").check();
  await step(5).getByRole("button", { name: "Record the result of step 5" }).click();

  await expect(page.getByTestId("failure-banner")).toContainText("went back to rework");
  await expect(page.getByTestId("failure-banner")).toContainText("assessment team is notified");
  await expect(page.getByTestId("state-chip")).toHaveText("rework");
  await expect(step(5)).toHaveAttribute("data-status", "failed");
  await expect(step(5)).toContainText("Hunk #1 FAILED at 10.");
  for (const n of [6, 7, 8, 9]) await expect(step(n)).toHaveAttribute("data-status", "stopped");
  await expect(page.getByRole("button", { name: /Tick step/ })).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/deployment-failed.png", fullPage: true });

  // The server refuses a tick after the failure, whatever the page shows.
  const refused = await request.post(`/api/v1/patches/${patch.id}/deployment/steps/6`, {
    headers: auth(admin),
    data: { evidence: { commitMessage: "Fix" } },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.message).toMatch(/failed/);
  expect(
    (await (await request.get(`/api/v1/patches/${patch.id}`, { headers: auth(admin) })).json())
      .state,
  ).toBe("REWORK");
});
