import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "../fixtures/test";
import { signIn } from "../fixtures/session";
import {
  auth,
  keyedPerson,
  requestedPatch,
  signNotificationOver,
} from "../fixtures/requested-patch";
import { closeDialog, openStatement, tickInBrowser, tickOverApi } from "../fixtures/deployment";

const spaced = (fpr: string) => fpr.replace(/(.{4})/g, "$1 ").trim();

test("a critical admin ticks the webdb steps 1–9 with their evidence; the patch is deployed and the worker steps queued", async ({
  page,
  request,
  context,
}) => {
  // Nine ticks in the browser, then three offline verifies of the dossier (issue #11).
  test.setTimeout(240_000);
  const patch = await requestedPatch(request, "webdb");
  const admin = await keyedPerson(["critical-admin"], "Carla Critical");
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, admin);
  await page.goto(`/patches/${patch.id}/deployment`);
  await expect(page.getByTestId("state-chip")).toHaveText("requested");
  await page.getByRole("button", { name: "Open deployment record" }).click();

  const step = (n: number) => page.getByTestId(`step-${n}`);
  // X1: every tick is a statement the admin signs in the same dialog as every other signature.
  const tick = async (n: number) => {
    await tickInBrowser(page, admin, n);
    await expect(step(n)).toHaveAttribute("data-status", "done");
  };

  // 1: the request's signer and key, as the server recorded them.
  await expect(step(1)).toHaveAttribute("data-status", "active");
  await expect(step(2)).toHaveAttribute("data-status", "waiting");
  await expect(step(2).getByRole("button")).toHaveCount(0);
  await expect(step(1).getByTestId("request-signer")).toContainText("Rita Requester");
  await expect(step(1).getByTestId("request-signer")).toContainText(
    spaced(patch.requester.fingerprint),
  );
  await tick(1);

  await expect(step(2).getByTestId("gates")).toContainText("2 of 2");
  await tick(2);

  // 3: the checksum line to compare on the server, copyable, and the diff itself.
  const line = `${patch.diffSha256}  /tmp/patch-script.diff`;
  await expect(step(3).getByTestId("sha256sum-line")).toHaveText(line);
  await step(3).getByRole("button", { name: "Copy the expected sha256sum output" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(line);
  const download = await page.request.get(`/patches/${patch.id}/deployment/diff`);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-disposition"]).toContain("patch-script.diff");
  expect(await download.body()).toEqual(patch.diff);
  await step(3).screenshot({ path: "test-results/screens/deployment-step3-transfer.png" });
  await openStatement(page, step(3).getByRole("button", { name: "Sign and tick step 3" }));
  await expect(page.getByRole("dialog").getByRole("alert")).toContainText(
    "Confirm that sha256sum on the server printed the same checksum",
  );
  await closeDialog(page);
  await step(3).getByLabel("The checksum matched").check();
  await tick(3);

  // 4: risk, with the web server stopped: step 9 will want it started again.
  await expect(step(4)).toContainText("sudo service apache2 start");
  await step(4)
    .getByLabel("Risk evaluation")
    .fill("Touches the domain listing only; stopped apache2 to be safe.");
  await step(4).getByLabel("I stopped the web server").check();
  await tick(4);

  // 5: the patch command and its pasted output.
  await expect(step(5).getByTestId("apply-command")).toHaveText(
    "cd /home/cacert/www && sudo patch -p1 --ignore-whitespace < /tmp/patch-script.diff",
  );
  await step(5).getByLabel("Output of patch").fill("patching file www/account.php");
  await step(5).getByLabel("Applied cleanly").check();
  await step(5).screenshot({ path: "test-results/screens/deployment-step5-apply.png" });
  await tick(5);

  // 6: the commit message generated from the bug.
  await expect(step(6).getByRole("textbox", { name: "Commit message" })).toHaveValue(
    `Fix for bug #${patch.bugId}\n"${patch.bugSummary}".`,
  );
  await step(6).screenshot({ path: "test-results/screens/deployment-step6-commit.png" });
  await tick(6);

  // 7: the tarball bound by the sha256sum line from the server (bound-tarball.spec.ts uploads one).
  await step(7)
    .getByLabel("Its sha256sum line")
    .fill(`${"cd".repeat(32)}  /home/cacert/www/tmp/cacert-20261125.tar.gz`);
  await tick(7);
  await tick(8);

  // 9: refused until the admin confirms the stopped web server runs again; the note typed stays.
  await step(9).getByLabel("Note (optional)").fill("Reloaded apache2.");
  await openStatement(page, step(9).getByRole("button", { name: "Sign and tick step 9" }));
  await expect(page.getByRole("dialog").getByRole("alert")).toContainText(
    "sudo service apache2 start",
  );
  await closeDialog(page);
  await expect(step(9).getByLabel("Note (optional)")).toHaveValue("Reloaded apache2.");
  await step(9).getByLabel("The web server runs again").check();
  await tick(9);

  await expect(page.getByTestId("deployed-banner")).toBeVisible();
  await expect(page.getByTestId("state-chip")).toHaveText("deployed");
  // P7: the worker steps wait for the admin's own signature on the notification.
  for (const n of [10, 11, 12, 13])
    await expect(step(n)).toHaveAttribute("data-status", "signature");
  await expect(page.getByTestId("notification-signer")).toBeVisible();
  await signNotificationOver(request, admin, patch.id);
  await page.reload();
  for (const n of [10, 11, 12, 13]) {
    await expect(step(n)).toHaveAttribute("data-status", "queued");
    await expect(step(n).getByTestId("step-status")).toHaveText("performed by the worker, queued");
  }
  await expect(page.getByTestId("progress")).toContainText("9 of 13");
  await page.goto(`/patches/${patch.id}`);
  await expect(page.getByTestId("gate-deploy")).toContainText("9 of 13 steps done");
  await page.goto(`/patches?state=DEPLOYED`);
  await expect(
    page
      .locator("tr")
      .filter({ has: page.locator(`a[href="/patches/${patch.id}"]`) })
      .getByTestId("list-steps"),
  ).toHaveText("9 of 13 steps done");
  await page.goto(`/patches/${patch.id}/deployment`);

  // The evidence is kept, collapsed under each done step.
  await step(5).getByText("Evidence").click();
  await expect(step(5)).toContainText("patching file www/account.php");
  await expect(step(5)).toContainText("Carla Critical");
  // X1: each tick names the key that signed it.
  await expect(step(5).getByTestId("signed-with")).toHaveText(spaced(admin.fingerprint));
  await page.screenshot({
    path: "test-results/screens/deployment-webdb-deployed.png",
    fullPage: true,
  });

  const api = await (
    await request.get(`/api/v1/patches/${patch.id}`, { headers: auth(admin) })
  ).json();
  expect(api.state).toBe("DEPLOYED");

  // X1: the dossier downloads from the patch page and verifies offline, against the portal key
  // fetched from the portal (issue #11: never the one inside the dossier).
  await page.goto(`/patches/${patch.id}`);
  const [dossierDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download the dossier" }).click(),
  ]);
  expect(dossierDownload.suggestedFilename()).toMatch(/^patch-\d+-evidence\.tar\.gz$/);
  const dossier = path.join(test.info().outputDir, dossierDownload.suggestedFilename());
  await dossierDownload.saveAs(dossier);
  const portalKey = await request.get("/api/portal-key");
  expect(portalKey.status()).toBe(200);
  const portalKeyFile = path.join(test.info().outputDir, "portal-key.asc");
  writeFileSync(portalKeyFile, await portalKey.text());
  const { DATABASE_URL: _db, ...offline } = process.env;
  const verify = (...args: string[]) =>
    spawnSync(process.execPath, ["bin/patchgate.mjs", "verify", dossier, ...args], {
      encoding: "utf8",
      env: offline,
    });
  const verified = verify("--portal-key", portalKeyFile);
  expect(verified.status, verified.stdout + verified.stderr).toBe(0);
  expect(verified.stdout).toMatch(/^ok {4}trust +manifest\.json\.asc: good signature/m);
  const byFingerprint = verify("--portal-fingerprint", portalKey.headers()["x-key-fingerprint"]);
  expect(byFingerprint.status, byFingerprint.stdout + byFingerprint.stderr).toBe(0);
  const unanchored = verify();
  expect(unanchored.status).toBe(1);
  expect(unanchored.stderr).toMatch(/nothing is proven without a trust anchor/);
});

test("a tester sees the checklist but has nothing to tick, and the server refuses their tick", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const patch = await requestedPatch(request, "webdb");
  const [tester, admin] = [
    await keyedPerson(["tester"], "Theo Viewer"),
    await keyedPerson(["critical-admin"], "Carla Critical"),
  ];
  await signIn(page, tester);
  await page.goto(`/patches/${patch.id}/deployment`);
  await expect(page.getByText("a critical admin opens its deployment record")).toBeVisible();
  await expect(page.getByRole("button", { name: "Open deployment record" })).toHaveCount(0);
  await page.screenshot({
    path: "test-results/screens/deployment-before-open.png",
    fullPage: true,
  });

  expect(
    (
      await request.post(`/api/v1/patches/${patch.id}/deployment`, { headers: auth(admin) })
    ).status(),
  ).toBe(201);
  await page.reload();
  await expect(page.getByTestId("step-1")).toHaveAttribute("data-status", "active");
  await expect(page.getByTestId("step-1")).toContainText("Waiting for a critical admin");
  await expect(page.getByRole("button", { name: /Sign and tick step/ })).toHaveCount(0);
  const refused = await tickOverApi(request, tester, patch.id, 1);
  expect(refused.status()).toBe(403);
});
