import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "../fixtures/test";
import { signIn } from "../fixtures/session";
import { auth, keyedPerson, requestedPatch } from "../fixtures/requested-patch";
import { closeDialog, openStatement, signAndClose, tickOverApi } from "../fixtures/deployment";

// P5 as the seed has it, and X1/X3 as a critical admin meets them: a failed
// apply is signed with its back-out and the web server running again, after a
// confirmation; a refused tick keeps what was typed; an admin who requested the
// patch is told why they may not deploy it.

const FAILED_OUTPUT =
  "patching file www/account.php\nHunk #1 FAILED at 10.\n1 out of 1 hunk FAILED -- saving rejects to file www/account.php.rej";
const BACK_OUT =
  "$ sudo patch -p1 -R --ignore-whitespace < /tmp/patch-script.diff\npatching file www/account.php";

async function noSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test("a failed apply is signed with its back-out and the web server running again, after a confirmation", async ({
      page,
      request,
    }) => {
      test.setTimeout(180_000);
      const patch = await requestedPatch(request, "webdb");
      const admin = await keyedPerson(["critical-admin"], "Felix Failing");

      // Steps 1–3 over the API as a script signs them (X1).
      expect(
        (
          await request.post(`/api/v1/patches/${patch.id}/deployment`, { headers: auth(admin) })
        ).status(),
      ).toBe(201);
      for (const [n, evidence] of [
        [1, {}],
        [2, {}],
        [3, { checksumMatched: true }],
      ] as const) {
        const res = await tickOverApi(request, admin, patch.id, n, evidence);
        expect(res.status(), await res.text()).toBe(201);
      }

      await signIn(page, admin);
      await page.goto(`/patches/${patch.id}/deployment`);
      const step = (n: number) => page.getByTestId(`step-${n}`);
      for (const n of [1, 2, 3]) await expect(step(n)).toHaveAttribute("data-status", "done");
      await expect(page.getByTestId("progress")).toContainText("3 of 13");

      // 4: the web server stopped, signed in the dialog.
      await step(4).getByLabel("Risk evaluation").fill("Touches the account page; stop apache2.");
      await step(4).getByLabel("I stopped the web server").check();
      await openStatement(page, step(4).getByRole("button", { name: "Sign and tick step 4" }));
      await expect(page.getByRole("dialog").getByTestId("statement")).toContainText(
        '"webServerStopped":true',
      );
      await signAndClose(page, admin);
      await expect(step(4)).toHaveAttribute("data-status", "done");

      // 5: failed. The back-out fields appear; the dialog asks for confirmation first.
      await step(5).getByLabel("Output of patch").fill(FAILED_OUTPUT);
      await expect(step(5).getByTestId("back-out")).toBeHidden();
      await step(5).getByLabel("Failed — backed out").check();
      await expect(step(5).getByTestId("back-out")).toBeVisible();
      await noSeriousViolations(page);
      let dialog = await openStatement(
        page,
        step(5).getByRole("button", { name: "Sign: step 5 failed" }),
      );
      await expect(dialog.getByTestId("confirm-failed")).toContainText("Record step 5 as failed?");
      await expect(dialog.getByRole("alert")).toHaveText(
        "Confirm that the apply failed and the patch was backed out.",
      );
      await dialog.getByLabel("Yes: the apply failed and I backed the patch out").check();
      await dialog.getByRole("button", { name: "Get statement" }).click();
      // Without the back-out the server refuses (400), and nothing typed is lost.
      await expect(dialog.getByRole("alert")).toContainText("A failed apply records the back-out");
      await closeDialog(page);
      await expect(step(5).getByLabel("Output of patch")).toHaveValue(FAILED_OUTPUT);
      await expect(step(5).getByLabel("Failed — backed out")).toBeChecked();

      await step(5).getByLabel("Output of the back-out (the reverse apply)").fill(BACK_OUT);
      dialog = await openStatement(
        page,
        step(5).getByRole("button", { name: "Sign: step 5 failed" }),
      );
      await dialog.getByLabel("Yes: the apply failed and I backed the patch out").check();
      await dialog.getByRole("button", { name: "Get statement" }).click();
      await expect(dialog.getByRole("alert")).toContainText(
        "You stopped the web server at step 4: start it again (sudo service apache2 start)",
      );
      await closeDialog(page);
      await expect(step(5).getByLabel("Output of the back-out (the reverse apply)")).toHaveValue(
        BACK_OUT,
      );
      await step(5).getByLabel("The web server runs again").check();
      await page.screenshot({
        path: `/tmp/shots-deploy/failed-form-${viewport.width}.png`,
        fullPage: true,
      });

      dialog = await openStatement(
        page,
        step(5).getByRole("button", { name: "Sign: step 5 failed" }),
      );
      await dialog.getByLabel("Yes: the apply failed and I backed the patch out").check();
      await dialog.getByRole("button", { name: "Get statement" }).click();
      const statement = dialog.getByTestId("statement");
      await expect(statement).toContainText("verdict: failed");
      await expect(statement).toContainText("step: 5");
      await expect(statement).toContainText('"backOutOutput":');
      await expect(statement).toContainText('"webServerRunning":true');
      await page.screenshot({
        path: `/tmp/shots-deploy/failed-dialog-${viewport.width}.png`,
        fullPage: true,
      });
      await signAndClose(page, admin);

      await expect(page.getByTestId("failure-banner")).toContainText("went back to rework");
      await expect(page.getByTestId("state-chip")).toHaveText("rework");
      await expect(step(5)).toHaveAttribute("data-status", "failed");
      await expect(step(5)).toContainText("Hunk #1 FAILED at 10.");
      for (const n of [6, 7, 8, 9]) await expect(step(n)).toHaveAttribute("data-status", "stopped");
      await expect(page.getByRole("button", { name: /Sign and tick step/ })).toHaveCount(0);
      await expect(page.getByTestId("progress")).toContainText("4 of 13");
      await noSeriousViolations(page);
      await page.screenshot({
        path: `/tmp/shots-deploy/failed-${viewport.width}.png`,
        fullPage: true,
      });

      // The server refuses a tick after the failure, whatever the page shows.
      const refused = await tickOverApi(request, admin, patch.id, 6, { commitMessage: "Fix" });
      expect(refused.status()).toBe(403);
      expect((await refused.json()).error.message).toMatch(/failed/);
    });

    test("an admin who requested the patch is told why they may not deploy it (X3)", async ({
      page,
      request,
    }) => {
      test.setTimeout(120_000);
      const patch = await requestedPatch(request, "webdb", {
        requesterRoles: ["assessor", "critical-admin"],
      });
      await signIn(page, patch.requester);
      await page.goto(`/patches/${patch.id}/deployment`);
      await expect(page.getByTestId("separation")).toContainText(
        "Another critical admin deploys this patch: you signed its request.",
      );
      await expect(page.getByRole("button", { name: "Open deployment record" })).toHaveCount(0);
      await noSeriousViolations(page);
      await page.screenshot({
        path: `/tmp/shots-deploy/separation-${viewport.width}.png`,
        fullPage: true,
      });
      const refused = await request.post(`/api/v1/patches/${patch.id}/deployment`, {
        headers: auth(patch.requester),
      });
      expect(refused.status()).toBe(403);
      expect((await refused.json()).error).toMatchObject({
        code: "FORBIDDEN",
        message: expect.stringMatching(/you signed its request/),
      });
    });
  });
}
