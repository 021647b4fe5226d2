import { test, expect, type Browser } from "../fixtures/test";
import { createSystem, keyedPerson, type TKeyedPerson } from "../fixtures/requested-patch";
import { diffFile } from "../patches/patch-helpers";
import { signIn } from "../fixtures/session";
import { expectFitsAndAccessible, VIEWPORTS } from "../fixtures/page-checks";
import { tickInBrowser, tickOverApi } from "../fixtures/deployment";
import { declarePastEmergency, signStep } from "../fixtures/emergencies";

// E3, option 1 on a real patch (issue #15): a developer prepares the patch (a diff with
// its bug), the 1st assessor review records the development-repository commit and the
// test server, the testers the system's policy asks for pass it, the 2nd assessor
// forwards it to the critical team, and a critical admin installs it through the
// patch's deployment record: that is option 1's last gate, and the emergency is resolved.

for (const viewport of VIEWPORTS) {
  test(`option 1 on a patch, through its deployment record, at ${viewport.width} px`, async ({
    browser,
    request,
  }) => {
    test.setTimeout(300_000); // about a minute alone; six people sign in and sign, slower on a loaded box
    const system = createSystem("webdb"); // the default policy: two testers
    const [carl, dev, ada, tess, tom, bea] = await Promise.all([
      keyedPerson(["critical-admin"], `Carl Critical ${viewport.width}`),
      keyedPerson(["developer"], `Dora Developer ${viewport.width}`),
      keyedPerson(["assessor"], `Ada Assessor ${viewport.width}`),
      keyedPerson(["tester"], `Tess Tester ${viewport.width}`),
      keyedPerson(["tester"], `Tom Tester ${viewport.width}`),
      keyedPerson(["assessor"], `Bea Assessor ${viewport.width}`),
    ]);
    const n = declarePastEmergency(carl.email, system, 3, "Session fixation on the login form");
    const url = `/emergencies/${n}`;
    const sign = (p: TKeyedPerson) => ({ keyFile: p.keyFile, passphrase: p.passphrase });
    const as = (p: TKeyedPerson) => pageAs(browser, p, viewport, url);

    // 1. The developer prepares the patch: a diff with its bug, signed in the dialog.
    const dp = await as(dev);
    await expect(dp.getByTestId("rung-option1-patch")).toContainText("Option 1: prepare the patch");
    await signStep(dp, dp.getByTestId("rung-option1-patch").getByRole("button"), {
      ...sign(dev),
      diffFile: diffFile(`o1-${viewport.width}`),
      fields: { "Bug number": "1534", "Bug's short description": "Session id kept after login" },
      reason: "Regenerate the session id after a successful login.",
    });
    // Closing the dialog refreshes the page: the patch appears.
    const patchLink = dp.getByTestId("option1-patch").getByRole("link", { name: /^#\d+/ });
    await expect(patchLink).toBeVisible({ timeout: 30_000 });
    const patchId = (await patchLink.getAttribute("href"))!.split("/").pop()!;
    await expect(dp.getByTestId("option1-sha256")).toHaveText(/^[0-9a-f]{64}$/);
    await expect(dp.getByTestId("gate-review-1")).toHaveAttribute("data-status", "open");
    await expectFitsAndAccessible(dp);

    // 2. The 1st assessor review, with the transfer to the development repository and the test server.
    const ap = await as(ada);
    await signStep(ap, ap.getByTestId("rung-gate").getByRole("button"), {
      ...sign(ada),
      fields: {
        "Commit in the development repository": "4f2a9c1e",
        "Test server": "test1.cacert.example",
      },
      reason: "Read the diff; pushed to the development repository and installed on test1.",
    });
    await expect(ap.getByTestId("gate-review-1")).toHaveAttribute("data-status", "done", {
      timeout: 30_000,
    });
    await expect(ap.getByTestId("gate-review-1")).toContainText(ada.name);
    await expect(ap.getByTestId("gate-review-1")).toContainText("4f2a9c1e");
    await expect(ap.getByTestId("gate-review-1")).toContainText("test1.cacert.example");

    // 3. The testers, as many as the system's policy asks: the count shows on the gate.
    for (const [i, t] of [tess, tom].entries()) {
      const tp = await as(t);
      await expect(tp.getByTestId("gate-test")).toContainText(`${i} of 2 testers`);
      await signStep(tp, tp.getByTestId("rung-gate").getByRole("button"), {
        ...sign(t),
        verdict: "pass",
        reason: "Logged in and out on test1: a fresh session id each time.",
      });
      await expect(tp.getByTestId("gate-test")).toContainText(`${i + 1} of 2 testers`, {
        timeout: 30_000,
      });
      if (i === 0) {
        await expect(tp.getByTestId("gate-test")).toHaveAttribute("data-status", "open");
        await tp.getByTestId("option1").screenshot({
          path: `test-results/screens/option1-gates-${viewport.width}.png`,
        });
      }
    }

    // 4. The 2nd assessor review forwards the patch to the critical team.
    const bp = await as(bea);
    await signStep(bp, bp.getByTestId("rung-gate").getByRole("button"), {
      ...sign(bea),
      reason: "Second review done; forwarded to the critical team.",
    });
    await expect(bp.getByTestId("gate-review-2")).toHaveAttribute("data-status", "done", {
      timeout: 30_000,
    });
    await expect(bp.getByTestId("forwarded")).toContainText("with the critical team");
    await expectFitsAndAccessible(bp);

    // 5. A critical admin opens the patch's deployment record from the emergency page and ticks it.
    const cp = await as(carl);
    await cp.getByTestId("forwarded").getByRole("link").click();
    await cp.waitForURL(`**/patches/${patchId}/deployment`);
    await cp.getByRole("button", { name: "Open deployment record" }).click();
    await expect(cp.getByTestId("step-1")).toHaveAttribute("data-status", "active");
    await expectFitsAndAccessible(cp);
    const evidence: Record<number, object> = {
      3: { checksumMatched: true },
      4: { assessment: "Login code only.", webServerStopped: false },
      5: { output: "patching file www/account.php", result: "clean" },
      6: { commitMessage: "Fix for bug #1534" },
      7: { sha256sum: `${"cd".repeat(32)}  /home/cacert/www/tmp/cacert-20261203.tar.gz` },
    };
    for (let s = 1; s <= 8; s++) {
      const r = await tickOverApi(request, carl, patchId, s, evidence[s] ?? {});
      expect(r.status(), await r.text()).toBe(201);
    }
    await cp.reload();
    await tickInBrowser(cp, carl, 9);
    await expect(cp.getByTestId("state-chip")).toHaveText("deployed");

    // The emergency reads resolved under option 1, without the tracker or the reminders.
    await cp.goto(url);
    await expect(cp.getByTestId("emergency-state")).toHaveText("Resolved");
    await expect(cp.getByTestId("outcome-line")).toContainText(
      new RegExp(`Resolved under option 1: patch #\\d+ deployed by ${carl.name} at \\d{4}-`),
    );
    await expect(cp.getByTestId("option1")).toHaveCount(0);
    await expect(cp.getByTestId("time-left")).toHaveCount(0);
    await expect(cp.locator("body")).not.toContainText("reminded hourly");
    await expectFitsAndAccessible(cp);
    await cp.screenshot({
      path: `test-results/screens/option1-resolved-${viewport.width}.png`,
      fullPage: true,
    });
  });
}

async function pageAs(
  browser: Browser,
  who: TKeyedPerson,
  viewport: { width: number; height: number },
  url: string,
) {
  const page = await (await browser.newContext({ viewport })).newPage();
  await signIn(page, who);
  await page.goto(url);
  return page;
}
