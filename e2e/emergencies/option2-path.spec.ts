import { randomBytes } from "node:crypto";
import { test, expect } from "../fixtures/test";
import { createKeyedPerson, createSystem, diffFile, pageFor } from "../patches/patch-helpers";
import { declarePastEmergency, signInDialog } from "../fixtures/emergencies";

const SHOTS = process.env.E2E_SHOTS_DIR ?? "test-results/screens";

test("declare → acknowledgements → option 1 runs out → option 2 with a reason → dispute → signed ruling → public log", async ({
  browser,
}) => {
  test.setTimeout(240_000); // about 45 s alone; much slower on a loaded box
  const system = createSystem("webdb");
  // Names of this test's own: the responder list holds every person, and other specs
  // make a "Carl Critical" too (the label picks the first of the same name).
  const tag = randomBytes(3).toString("hex");
  const carl = await createKeyedPerson(["CRITICAL_ADMIN"], { name: `Carl Critical ${tag}` });
  const ada = await createKeyedPerson(["ASSESSOR"], { name: `Ada Assessor ${tag}` });
  const ari = await createKeyedPerson(["ARBITRATOR"], { name: `Ari Arbitrator ${tag}` });

  // E1: declaring through the form starts a 24-hour clock.
  const cp = await pageFor(browser, carl);
  await cp.getByRole("link", { name: "Emergencies" }).click();
  await cp.getByRole("link", { name: "Declare an emergency" }).click();
  await cp.getByLabel("Affected system").selectOption(system);
  await cp.getByLabel("What is wrong").fill("Session cookies readable over HTTP");
  await cp.getByLabel("Details").fill("The secure flag is missing on the session cookie.");
  cp.once("dialog", (d) => d.accept());
  await cp.getByRole("button", { name: "Declare emergency" }).click();
  await cp.waitForURL(/\/emergencies\/\d+$/);
  await expect(cp.getByTestId("time-left")).toContainText(/23 h 5\d min left/);
  if (SHOTS) await cp.screenshot({ path: `${SHOTS}/emergency-fresh.png`, fullPage: true });

  // The emergency under test was declared 25 hours ago (through the use-case, with an explicit clock).
  const n = declarePastEmergency(carl.email, system, 25);
  await cp.goto(`/emergencies/${n}`);
  await expect(cp.getByTestId("time-left")).toContainText("overdue by 1 h");
  // The deadline passed: said plainly, and the teams are no longer "reminded hourly".
  await expect(cp.getByTestId("deadline-passed")).toContainText("The 24-hour deadline passed at");
  await expect(cp.getByTestId("team-TESTERS")).not.toContainText("reminded hourly");

  // E2: responders named and acknowledged with signed statements.
  await cp.getByText("Name a team's responder").click();
  await cp.locator("select[name=team]").selectOption("CRITICAL_ADMINS");
  await cp.locator("select[name=userId]").selectOption({ label: carl.name });
  await cp.getByLabel("How to reach them").fill("+49 170 5550123");
  await cp.getByRole("button", { name: "Name responder" }).click();
  await expect(cp.getByTestId("team-CRITICAL_ADMINS")).toContainText("not acknowledged");
  await cp.locator("select[name=team]").selectOption("ASSESSORS");
  await cp.locator("select[name=userId]").selectOption({ label: ada.name });
  await cp.getByLabel("How to reach them").fill("ada on IRC");
  await cp.getByRole("button", { name: "Name responder" }).click();
  await expect(cp.getByTestId("team-ASSESSORS")).toContainText("not acknowledged");
  await signInDialog(cp, () => cp.getByRole("button", { name: /Acknowledge standby/ }).click(), {
    keyFile: carl.keyFile,
    reason: "On standby.",
  });
  await expect(cp.getByTestId("team-CRITICAL_ADMINS")).toContainText("on standby");

  const ap = await pageFor(browser, ada);
  await ap.goto(`/emergencies/${n}`);
  await signInDialog(ap, () => ap.getByRole("button", { name: /Acknowledge standby/ }).click(), {
    keyFile: ada.keyFile,
    reason: "Reachable all night.",
  });
  await expect(ap.getByTestId("team-ASSESSORS")).toContainText("on standby");
  await expect(ap.getByTestId("team-TESTERS")).toContainText("No responder named");
  // E4 before its precondition: option 2 is shown blocked, with the reason.
  await expect(ap.getByTestId("rung-option2-patch")).toContainText("Not yet");
  if (SHOTS) {
    await cp.reload();
    await cp.screenshot({ path: `${SHOTS}/emergency-overdue.png`, fullPage: true });
  }

  // Option 1 ran out of time: recorded unfit, with the reason.
  await cp.reload();
  await signInDialog(cp, () => cp.getByTestId("rung-option1-unfit").getByRole("button").click(), {
    keyFile: carl.keyFile,
    reason: "The 24 hours ran out; the testers could not be reached.",
  });
  await ap.reload();
  await signInDialog(ap, () => ap.getByTestId("rung-option2-patch").getByRole("button").click(), {
    keyFile: ada.keyFile,
    diffFile: diffFile("em"),
    reason: "Tested locally against a copy of the database.",
  });
  await cp.reload();
  await signInDialog(cp, () => cp.getByTestId("rung-option2-deploy").getByRole("button").click(), {
    keyFile: carl.keyFile,
    reason: "Applied at 03:10 UTC, apache reloaded, logins checked.",
  });
  await expect(cp.getByText(/Dispute #\d+ filed/)).toBeVisible();
  await expect(cp.getByText(/Re-entered the normal cycle as patch #\d+ \(draft\)/)).toBeVisible();

  // E7: the dispute appears for the arbitrator, who signs the ruling in the browser.
  const rp = await pageFor(browser, ari);
  await rp.getByRole("link", { name: "Disputes" }).click();
  // The row of this spec's emergency (other specs file disputes in the same database).
  await rp
    .getByRole("row")
    .filter({ hasText: `(${system})` })
    .getByRole("link", { name: /Dispute #\d+/ })
    .click();
  await expect(rp.getByRole("heading", { name: "Timeline" })).toBeVisible();
  await expect(rp.getByText("Option 1 recorded unfit", { exact: true })).toBeVisible();
  await signInDialog(rp, () => rp.getByRole("button", { name: "Sign a ruling" }).click(), {
    keyFile: ari.keyFile,
    verdict: "justified",
    reason:
      "Option 1 could not finish within 24 hours; option 2 was used as the procedure says and documented.",
  });
  await expect(rp.getByTestId("ruling")).toContainText("justified");
  if (SHOTS) await rp.screenshot({ path: `${SHOTS}/dispute.png`, fullPage: true });

  // The public log, for a visitor who is not signed in: the emergency is still in progress
  // (option 2 deployed, not resolved), so it shows only its system and time (E7).
  const systemName = `webdb ${system.slice(-6)}`; // createSystem's name for the slug
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/emergencies");
  const entry = visitor.getByTestId(`public-emergency-${n}`);
  await expect(entry).toContainText(`An emergency on ${systemName} since`);
  await expect(entry).not.toContainText("Password check skipped");
  await expect(entry).not.toContainText("Option 2");
  await expect(visitor.locator("body")).not.toContainText("5550123");
  if (SHOTS) await visitor.screenshot({ path: `${SHOTS}/public-log.png`, fullPage: true });
  const feed = await (await visitor.request.get("/emergencies/feed.json")).json();
  expect(feed.emergencies.find((e: { number: number }) => e.number === n)).toMatchObject({
    inProgress: true,
    system: systemName,
  });
  const atom = await (await visitor.request.get("/emergencies/atom.xml")).text();
  expect(atom).toContain(`Emergency #${n}: An emergency on ${systemName} since`);
  expect(atom).not.toContain("Password check skipped");
  expect(atom).toContain(`/emergencies#emergency-${n}"`);

  // Resolved: the page shows the option used and its outcome, not the option-1 tracker.
  await cp.reload();
  await signInDialog(cp, () => cp.getByTestId("rung-resolve").getByRole("button").click(), {
    keyFile: carl.keyFile,
    reason: "Logins checked over HTTPS only; the cookie carries the secure flag.",
  });
  await cp.reload();
  await expect(cp.getByTestId("emergency-state")).toHaveText("Resolved");
  await expect(cp.getByTestId("outcome-line")).toContainText(
    new RegExp(
      `Resolved under option 2: patch deployed by ${carl.name} at .+; dispute #\\d+ ruled justified`,
    ),
  );
  await expect(cp.getByTestId("time-left")).toHaveCount(0);
  await expect(cp.locator("body")).not.toContainText("reminded hourly");
  if (SHOTS) await cp.screenshot({ path: `${SHOTS}/emergency-resolved.png`, fullPage: true });
  // Over: the public log names it now.
  await visitor.reload();
  await expect(entry).toContainText("Password check skipped");
});
