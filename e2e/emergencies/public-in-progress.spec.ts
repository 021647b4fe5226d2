import { test, expect } from "../fixtures/test";
import { keyedPerson } from "../fixtures/requested-patch";
import { createSystem } from "../patches/patch-helpers";
import { declarePastEmergency } from "../fixtures/emergencies";
import { expectFitsAndAccessible, VIEWPORTS } from "../fixtures/page-checks";

// No disclosure before the fix (issue #15, E7): a visitor without an account sees an
// emergency in progress only as "an emergency on <system> since <time>", on the
// page and in both feeds; its title would tell an attacker where to look.

for (const viewport of VIEWPORTS) {
  test(`a visitor sees an emergency in progress without its title, at ${viewport.width} px`, async ({
    browser,
  }) => {
    const system = createSystem("webdb");
    const carl = await keyedPerson(["critical-admin"], `Carl Critical ${viewport.width}`);
    const title = `Unauthenticated export of member addresses ${system}`;
    const n = declarePastEmergency(carl.email, system, 3, title);

    const visitor = await (await browser.newContext({ viewport })).newPage();
    await visitor.goto("/emergencies");
    const entry = visitor.getByTestId(`public-emergency-${n}`);
    await expect(entry).toContainText(
      /An emergency on webdb \S+ since \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
    );
    await expect(visitor.locator("body")).not.toContainText(title);
    await expect(visitor.locator("body")).not.toContainText("member addresses");
    await expectFitsAndAccessible(visitor);
    await visitor.screenshot({
      path: `test-results/screens/public-in-progress-${viewport.width}.png`,
      fullPage: true,
    });

    const feed = await visitor.request.get("/emergencies/feed.json");
    expect(feed.status()).toBe(200);
    const body = await feed.text();
    expect(body).not.toContain(title);
    const item = JSON.parse(body).emergencies.find((e: { number: number }) => e.number === n);
    expect(item).toMatchObject({ number: n, inProgress: true });
    expect(item.title).toBeUndefined();

    const atom = await (await visitor.request.get("/emergencies/atom.xml")).text();
    expect(atom).not.toContain(title);
    expect(atom).toMatch(/An emergency on webdb \S+ since/);
  });
}
