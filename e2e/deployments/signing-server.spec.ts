import { expect, test, type Page } from "../fixtures/test";
import { signIn } from "../fixtures/session";
import {
  keyedPerson,
  requestedPatch,
  signNotificationOver,
  type TKeyedPerson,
} from "../fixtures/requested-patch";
import { closeDialog, openStatement, signAndClose, tickInBrowser } from "../fixtures/deployment";

const spaced = (fpr: string) => fpr.replace(/(.{4})/g, "$1 ").trim();

/** Signs the viewer's presence in the signing dialog with their private key file and passphrase. */
async function signPresence(page: Page, who: TKeyedPerson, patchId: string) {
  await page.goto(`/patches/${patchId}/deployment`);
  await openStatement(page, page.getByRole("button", { name: "Sign my presence" }));
  await signAndClose(page, who, "presence");
  await expect(page.getByText("You signed your presence for this visit.")).toBeVisible();
}

test("the signing-server visit: presence of two critical admins and an access engineer, decisions on 3–7, then the ticks", async ({
  page,
  request,
  browser,
}) => {
  test.setTimeout(180_000);
  const patch = await requestedPatch(request, "signing-server");
  const [ca1, ca2, ae] = [
    await keyedPerson(["critical-admin"], "Carla Critical"),
    await keyedPerson(["critical-admin"], "Conrad Critical"),
    await keyedPerson(["access-engineer"], "Erik Engineer"),
  ];

  await signIn(page, ca1);
  await page.goto(`/patches/${patch.id}/deployment`);
  await page.getByRole("button", { name: "Open deployment record" }).click();
  const step = (n: number) => page.getByTestId(`step-${n}`);
  await expect(page.getByTestId("visit-status")).toHaveText(
    "0 of 2 critical admins · 0 of 1 access engineer",
  );
  for (const n of [8, 9, 13]) await expect(step(n)).toHaveAttribute("data-status", "na");

  // Before the visit the server refuses any tick, and says why.
  await openStatement(page, step(1).getByRole("button", { name: "Sign and tick step 1" }));
  await expect(page.getByRole("dialog").getByRole("alert")).toHaveText(
    "Record the visit first: two critical admins and one access engineer sign their presence.",
  );
  await closeDialog(page);
  await expect(step(1)).toHaveAttribute("data-status", "active");
  await page.screenshot({
    path: "test-results/screens/deployment-signing-server-before-visit.png",
    fullPage: true,
  });

  await signPresence(page, ca1, patch.id);
  for (const who of [ca2, ae]) {
    const other = await browser.newContext();
    const p = await other.newPage();
    await signIn(p, who);
    await signPresence(p, who, patch.id);
    await expect(p.getByRole("button", { name: /Sign and tick step/ })).toHaveCount(
      who === ae ? 0 : 1,
    );
    await other.close();
  }

  await page.reload();
  await expect(page.getByTestId("visit-status")).toHaveText("visit recorded");
  const visit = page.getByTestId("visit");
  for (const who of [ca1, ca2, ae]) await expect(visit).toContainText(spaced(who.fingerprint));
  await expect(page.getByRole("button", { name: "Sign my presence" })).toHaveCount(0);

  // Steps 3–7 need a decision with a reason before any tick.
  await openStatement(page, step(1).getByRole("button", { name: "Sign and tick step 1" }));
  await expect(page.getByRole("dialog").getByRole("alert")).toContainText(
    "Decide first whether steps 3, 4, 5, 6, 7 apply",
  );
  await closeDialog(page);
  const decisions: [number, boolean, string][] = [
    [3, true, "The patch comes on a USB stick."],
    [4, false, "The signing process keeps running: the change is in the CSR checker only."],
    [5, true, "The source is patched in place."],
    [6, false, "The signer's source is not kept in CVS."],
    [7, false, "No tarball for the signer."],
  ];
  for (const [n, applies, reason] of decisions) {
    const form = step(n).getByTestId(`decide-${n}`);
    await form.getByLabel(applies ? "Applies" : "Does not apply").check();
    await form.getByLabel("Reason").fill(reason);
    await openStatement(page, form.getByRole("button", { name: `Sign the decision on step ${n}` }));
    await signAndClose(page, ca1);
    await expect(step(n).getByTestId("decision")).toContainText(reason);
    await expect(step(n)).toHaveAttribute("data-status", applies ? /active|waiting/ : "na");
  }

  const tick = async (n: number) => {
    await tickInBrowser(page, ca1, n);
    await expect(step(n)).toHaveAttribute("data-status", "done");
  };
  await tick(1);
  await tick(2);
  await step(3).getByLabel("The checksum matched").check();
  await tick(3);
  await step(5).getByLabel("Output of patch").fill("patching file includes/csr-check.c");
  await step(5).getByLabel("Applied cleanly").check();
  await tick(5);

  await expect(page.getByTestId("deployed-banner")).toBeVisible();
  await expect(page.getByTestId("state-chip")).toHaveText("deployed");
  // P7: the worker steps wait for a present admin's signature on the notification.
  for (const n of [10, 11, 12]) await expect(step(n)).toHaveAttribute("data-status", "signature");
  await signNotificationOver(request, ca1, patch.id);
  await page.reload();
  for (const n of [10, 11, 12]) await expect(step(n)).toHaveAttribute("data-status", "queued");
  for (const n of [4, 6, 7, 8, 9, 13]) await expect(step(n)).toHaveAttribute("data-status", "na");
  await page.screenshot({
    path: "test-results/screens/deployment-signing-server.png",
    fullPage: true,
  });
});
