import { expect, test } from "../fixtures/test";
import { createPerson } from "../fixtures/people";
import { createSystem, pageFor } from "./patch-helpers";

// Issue 11, finding 10: a diff may carry characters a reviewer cannot see
// ("Trojan Source" bidi controls, terminal escapes). The diff stays as uploaded;
// the viewer shows each such character as a visible badge and warns on the file.

test("the diff viewer marks bidi controls and escapes visibly", async ({ browser, request }) => {
  test.setTimeout(90_000);
  const dev = createPerson(["developer"]);
  const system = createSystem("webdb");
  const diff = Buffer.from(
    [
      "--- a/www/access.php",
      "+++ b/www/access.php",
      "@@ -1,2 +1,3 @@",
      " <?php",
      `-if ($role != "user") { deny(); }`,
      `+if ($role != "user\u202E \u2066// admin\u2069\u2066") { deny(); }`,
      `+echo "\u001b[2J";`,
      "",
    ].join("\n"),
  );
  const created = await request.post("/api/v1/patches", {
    headers: { authorization: `Bearer ${dev.token}` },
    multipart: {
      system,
      title: "Looks harmless",
      summary: "s",
      bugId: "9",
      bugSummary: "b",
      diff: { name: "fix.diff", mimeType: "text/x-diff", buffer: diff },
    },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  const page = await pageFor(browser, dev);
  await page.goto(`/patches/${id}`);
  const shown = page.getByTestId("diff");
  const rlo = shown.locator('[data-hidden-char="U+202E"]');
  await expect(rlo).toBeVisible();
  await expect(rlo).toHaveText("⟨U+202E⟩");
  await expect(rlo).toHaveAttribute("title", /RIGHT-TO-LEFT OVERRIDE/);
  await expect(shown.locator('[data-hidden-char="U+2066"]')).toHaveCount(2);
  await expect(shown.locator('[data-hidden-char="U+001B"]')).toHaveAttribute("title", /ESCAPE/);
  await expect(page.getByTestId("hidden-chars-warning")).toContainText("2 lines with hidden");
  // The bytes are still the uploaded ones: the hash the page computed matches the revision's.
  await expect(page.getByTestId("shown-sha256")).toContainText("the revision's hash");
  await page.context().close();
});
