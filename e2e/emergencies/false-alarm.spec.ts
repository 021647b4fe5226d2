import { test, expect } from "../fixtures/test";
import { keyedPerson } from "../fixtures/requested-patch";
import { createSystem } from "../patches/patch-helpers";
import { signIn } from "../fixtures/session";
import { expectFitsAndAccessible, VIEWPORTS } from "../fixtures/page-checks";
import { declarePastEmergency, signStep } from "../fixtures/emergencies";

// E1 with a false alarm that ends (issue #15): the declarer and a second critical
// admin or assessor each sign the closing with their reasons; the emergency reads
// closed, its reminders stop, and the public log shows its title now.

for (const viewport of VIEWPORTS) {
  test(`a false alarm is closed by the declarer and an assessor, at ${viewport.width} px`, async ({
    browser,
  }) => {
    test.setTimeout(120_000); // about 25 s alone; the CI box is shared
    const system = createSystem("webdb");
    const carl = await keyedPerson(["critical-admin"], `Carl Critical ${viewport.width}`);
    const ada = await keyedPerson(["assessor"], `Ada Assessor ${viewport.width}`);
    const title = `Login page shows a stack trace ${viewport.width}`;
    const n = declarePastEmergency(carl.email, system, 2, title);

    // The declarer signs first: the page says who still must.
    const cp = await (await browser.newContext({ viewport })).newPage();
    await signIn(cp, carl);
    await cp.goto(`/emergencies/${n}`);
    await expectFitsAndAccessible(cp);
    await signStep(cp, cp.getByTestId("rung-close").getByRole("button"), {
      keyFile: carl.keyFile,
      passphrase: carl.passphrase,
      reason: "The stack trace comes from the staging proxy, not the live site.",
    });
    await expect(cp.getByTestId("closing")).toContainText(`${carl.name} (declarer)`);
    await expect(cp.getByTestId("closing-missing")).toContainText(
      "a second critical admin or assessor",
    );
    await expect(cp.getByTestId("emergency-state")).not.toHaveText(/Closed/);
    // The declarer cannot be the second signature too.
    await expect(cp.getByTestId("rung-close")).toContainText("You have already signed the closing");

    // A second person (an assessor) signs: closed.
    const ap = await (await browser.newContext({ viewport })).newPage();
    await signIn(ap, ada);
    await ap.goto(`/emergencies/${n}`);
    await expect(ap.getByTestId("closing-missing")).toBeVisible();
    await signStep(ap, ap.getByTestId("rung-close").getByRole("button"), {
      keyFile: ada.keyFile,
      passphrase: ada.passphrase,
      reason: "Checked the live login page: no stack trace there.",
    });
    await ap.reload();
    await expect(ap.getByTestId("emergency-state")).toHaveText("Closed: not an emergency");
    const outcome = ap.getByTestId("outcome");
    await expect(outcome.getByRole("heading")).toHaveText("Closed: not an emergency");
    await expect(outcome).toContainText("The stack trace comes from the staging proxy");
    await expect(outcome).toContainText("Checked the live login page");
    await expect(outcome).toContainText(`${carl.name} (declarer)`);
    await expect(outcome).toContainText(ada.name);
    // Ended: no ladder to climb, no clock ticking, nobody reminded.
    await expect(ap.getByRole("heading", { name: "The ladder: what is allowed next" })).toHaveCount(
      0,
    );
    await expect(ap.getByTestId("time-left")).toHaveCount(0);
    await expect(ap.locator("body")).not.toContainText("reminded hourly");
    await expectFitsAndAccessible(ap);
    await ap.screenshot({
      path: `test-results/screens/emergency-closed-${viewport.width}.png`,
      fullPage: true,
    });

    // The public log, for a visitor: the title is shown now that it is over.
    const visitor = await (await browser.newContext({ viewport })).newPage();
    await visitor.goto("/emergencies");
    await expect(visitor.getByTestId(`public-emergency-${n}`)).toContainText(title);
    await expectFitsAndAccessible(visitor);
    const feed = await (await visitor.request.get("/emergencies/feed.json")).json();
    const entry = feed.emergencies.find((e: { number: number }) => e.number === n);
    expect(entry.title).toBe(title);
    expect(entry.state).toBe("CLOSED");
  });
}
