import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "../fixtures/test";
import { gpgHome } from "../../peers/gpg";
import {
  closeDialog,
  createKeyedPerson,
  createSystem,
  diffFile,
  openStatement,
  pageFor,
  signInBrowser,
  uploadPatch,
} from "./patch-helpers";

const SCREENS = "test-results/screens";

test("a patch goes from upload through both gates to the signed request, signed in the browser and with GnuPG", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const system = createSystem("webdb");
  const [dev, a1, a2, a3, t1, t2, ca] = await Promise.all([
    createKeyedPerson(["developer"], {
      name: "Dana Developer",
      passphrase: "correct horse battery staple",
    }),
    createKeyedPerson(["assessor"], { name: "Ada Assessor" }),
    createKeyedPerson(["assessor"], { name: "Gus Gnupg" }),
    createKeyedPerson(["assessor"], { name: "Rita Requester" }),
    createKeyedPerson(["tester"], { name: "Tom Tester" }),
    createKeyedPerson(["tester"], { name: "Tess Tester" }),
    createKeyedPerson(["critical-admin"], { name: "Carl Critical" }),
  ]);

  // Submit: the developer uploads the diff, then signs the submission with a passphrase-protected key file.
  const devPage = await pageFor(browser, dev);
  const url = await uploadPatch(devPage, {
    system,
    title: "Show revoked server certs in the domain list",
    file: diffFile(),
  });
  await expect(devPage.getByTestId("state-chip")).toHaveText("draft");
  await expect(devPage.getByTestId("diff")).toContainText("list revoked certs too");
  await signInBrowser(devPage, dev, "Sign the submission", {
    comment: "Tested locally against a copy of the test database.",
  });
  await expect(devPage.getByTestId("state-chip")).toHaveText("in review");
  await expect(devPage.getByTestId("gate-submit")).toHaveAttribute("data-status", "done");

  // Review 1: in the browser.
  const a1Page = await pageFor(browser, a1);
  await a1Page.goto(url);
  await signInBrowser(a1Page, a1, "Sign a review", {
    verdict: "approve",
    comment: "Read every line; the query is bounded.",
  });
  await expect(a1Page.getByTestId("gate-review-count")).toHaveText("1 / 2");

  // Review 2: with stock GnuPG, over the downloaded statement.
  const a2Page = await pageFor(browser, a2);
  await a2Page.goto(url);
  const dialog = await openStatement(a2Page, "Sign a review", {
    verdict: "approve",
    comment: "Agreed.",
  });
  const shown = await dialog.getByTestId("statement").textContent();
  await dialog.getByRole("tab", { name: "Sign with GnuPG" }).click();
  await expect(dialog.getByTestId("gpg-command")).toHaveText(
    "gpg --armor --detach-sign statement.txt",
  );
  await a2Page.screenshot({ path: `${SCREENS}/patch-sign-dialog-gpg.png` });
  const dir = mkdtempSync(path.join(tmpdir(), "pg-e2e-gpg-"));
  const [download] = await Promise.all([
    a2Page.waitForEvent("download"),
    dialog.getByRole("link", { name: "Download statement.txt" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("statement.txt");
  const statementFile = path.join(dir, "statement.txt");
  await download.saveAs(statementFile);
  expect(readFileSync(statementFile, "utf8")).toBe(shown);
  const gpg = gpgHome();
  try {
    writeFileSync(path.join(dir, "key.asc"), a2.privateKey);
    gpg.gpg(["--import", path.join(dir, "key.asc")]);
    gpg.gpg(["--local-user", a2.fingerprint, "--armor", "--detach-sign", statementFile]);
  } finally {
    gpg.cleanup();
  }
  await dialog.getByLabel(/Paste the content/).fill(readFileSync(`${statementFile}.asc`, "utf8"));
  await dialog.getByRole("button", { name: "Submit signature" }).click();
  await expect(dialog.getByRole("status")).toContainText("Signed and recorded");
  await closeDialog(a2Page);
  await expect(a2Page.getByTestId("gate-review")).toHaveAttribute("data-status", "done");
  await expect(a2Page.getByTestId("state-chip")).toHaveText("in test");

  // Tests: two testers, in the browser.
  for (const tester of [t1, t2]) {
    const p = await pageFor(browser, tester);
    await p.goto(url);
    await expect(p.getByRole("button", { name: "Sign a review" })).toHaveCount(0);
    await signInBrowser(p, tester, "Sign a test result", {
      verdict: "pass",
      comment: `Tested on test1 by ${tester.name}.`,
    });
  }

  // Request: a third assessor signs it; the dialog is photographed on the way.
  const a3Page = await pageFor(browser, a3);
  await a3Page.goto(url);
  await expect(a3Page.getByTestId("state-chip")).toHaveText("ready");
  const req = await openStatement(a3Page, "Sign the request to the critical admins");
  await expect(req.getByTestId("statement")).toContainText("kind: request");
  await a3Page.screenshot({ path: `${SCREENS}/patch-sign-dialog.png` });
  await req.getByLabel("Private key file (armored)").setInputFiles(a3.keyFile);
  await req.getByRole("button", { name: "Sign and submit" }).click();
  await expect(req.getByRole("status")).toContainText("Signed and recorded");
  await closeDialog(a3Page);

  // The timeline shows every gate met, the request signed, the deployment open.
  await expect(a3Page.getByTestId("state-chip")).toHaveText("requested");
  for (const gate of ["submit", "review", "test", "request"])
    await expect(a3Page.getByTestId(`gate-${gate}`)).toHaveAttribute("data-status", "done");
  await expect(a3Page.getByTestId("gate-deploy")).toHaveAttribute("data-status", "open");
  await expect(a3Page.getByTestId("gate-test-count")).toHaveText("2 / 2");
  await expect(a3Page.getByTestId("gate-review")).toContainText("Gus Gnupg");

  // Only now is it in a critical admin's queue.
  const caPage = await pageFor(browser, ca);
  await caPage.goto(url);
  await caPage.screenshot({ path: `${SCREENS}/patch-detail.png`, fullPage: true });
  await caPage.goto("/queue");
  await expect(caPage.getByTestId("queue-deploy")).toContainText(
    "Show revoked server certs in the domain list",
  );
  await caPage.screenshot({ path: `${SCREENS}/patch-queue-critical-admin.png`, fullPage: true });
  await caPage.goto(`/patches?system=${system}`);
  await expect(
    caPage.getByRole("link", { name: "Show revoked server certs in the domain list" }),
  ).toBeVisible();
  await caPage.screenshot({ path: `${SCREENS}/patch-list.png`, fullPage: true });
});
