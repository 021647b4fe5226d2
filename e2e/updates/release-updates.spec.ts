import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import * as openpgp from "openpgp";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Locator, type Page } from "../fixtures/test";
import { CERTBOT_SRU_TEMPLATE } from "../../lib/domain/sru-template";
import { DEFAULT_REDIS_URL } from "../../lib/env-defaults";
import { makeCa, makeSigner } from "../../test/update-corpus";
import { killWorkerProcesses, startWorkerProcess } from "../../test/workers/worker-process";
import { e2eEmail, type TE2EPerson } from "../fixtures/people";
import { closeDialog, pageFor, type TKeyedPerson } from "../patches/patch-helpers";

// Issue 14 in the browser: an SRU record created from the seed's template, its TODOs
// highlighted and the signed submit refused with the list inline, filled, submitted
// (signed), acknowledged and reviewed by two assessors (signed), and two of its three
// series verified by a tester: ACME certificate, dep8 result, apache and nginx checked
// by the real worker against a local HTTPS server with a certificate made here, and the
// signed verification. The tags end as done, done, needed.

test.afterAll(killWorkerProcesses);

const tag = randomBytes(3).toString("hex");
const PACKAGES = ["python-acme", "python-certbot", "python-certbot-apache", "python-certbot-nginx"];

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/**
 * A person with a role and a registered key, added through the `patchgate` CLI as
 * createKeyedPerson() does, but without blocking, so the five people of this test
 * are made side by side.
 */
async function keyedPerson(role: string, name: string): Promise<TKeyedPerson> {
  const email = e2eEmail(role);
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name, email }],
    format: "armored",
  });
  const fingerprint = (await openpgp.readKey({ armoredKey: publicKey }))
    .getFingerprint()
    .toUpperCase();
  const dir = mkdtempSync(path.join(tmpdir(), "pg-e2e-sru-key-"));
  writeFileSync(path.join(dir, "key.asc"), publicKey);
  writeFileSync(path.join(dir, "secret-key.asc"), privateKey);
  const password = `pw-${randomBytes(8).toString("hex")}`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      "bin/patchgate.mjs",
      "user",
      "add",
      "--email",
      email,
      "--name",
      name,
      "--password",
      password,
      "--token",
      "--role",
      role,
      "--pgp-key",
      path.join(dir, "key.asc"),
    ],
    { cwd: ROOT, env: process.env },
  );
  const person: TE2EPerson = { email, name, password, token: stdout.trim().split("\n").pop()! };
  return {
    ...person,
    keyFile: path.join(dir, "secret-key.asc"),
    privateKey,
    passphrase: "",
    fingerprint,
  };
}

/** A target system, added through the CLI as createSystem() does, without blocking. */
async function targetSystem(): Promise<string> {
  const slug = `certbot-${randomBytes(3).toString("hex")}`;
  await promisify(execFile)(
    process.execPath,
    ["bin/patchgate.mjs", "system", "add", "--slug", slug, "--name", `certbot ${slug.slice(-6)}`],
    { cwd: ROOT, env: process.env },
  );
  return slug;
}

/** A CA and a localhost certificate it issued (openssl, via the test corpus); PEM text of both. */
function localhostCertificate() {
  const dir = mkdtempSync(path.join(tmpdir(), "pg-e2e-sru-"));
  const now = Date.now();
  const validity = {
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 2 * 86_400_000),
  };
  const ca = makeCa({ dir, name: "ca", subject: `CN=e2e SRU CA ${tag}`, ...validity });
  const host = makeSigner({
    dir,
    name: "host",
    subject: "CN=localhost",
    ca,
    extensions: "tls-localhost",
    ...validity,
  });
  return { ca: ca.pem, cert: host.pem, key: readFileSync(host.keyPath, "utf8") };
}

function httpsServer(c: { cert: string; key: string }, says: string): Promise<Server> {
  const server = createServer({ cert: c.cert, key: c.key }, (_req, res) => res.end(says));
  return new Promise((resolve) => server.listen(0, () => resolve(server)));
}

async function noSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
}

async function screens(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `test-results/screens/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > 391)
      .slice(-3)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${e.getBoundingClientRect().right})`),
  );
  expect(width, `${name} at 390 px is ${width} px wide: ${wide.join(", ")}`).toBeLessThanOrEqual(
    390,
  );
  await page.screenshot({ path: `test-results/screens/${name}-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Submits a server-action form and waits until its answer is shown (and the form reset). */
async function submitForm(page: Page, scope: Locator, button: string, says: string) {
  const answered = page.waitForResponse(
    (r) => r.request().method() === "POST" && !!r.request().headers()["next-action"],
  );
  await scope.getByRole("button", { name: button }).click();
  await answered;
  await expect(scope.getByRole("button", { name: button })).toBeEnabled();
  await expect(scope.getByText(says).first()).toBeVisible();
}

/** Opens the signing dialog from a button in `scope`, fills the dialog, signs with the key file. */
async function sign(
  page: Page,
  scope: Locator | Page,
  button: string | RegExp,
  person: TKeyedPerson,
  kind: string,
  fill?: (dialog: Locator) => Promise<unknown>,
) {
  await scope.getByRole("button", { name: button }).click();
  const dialog = page.getByRole("dialog");
  if (fill) await fill(dialog);
  await dialog.getByRole("button", { name: "Get statement" }).click();
  await expect(dialog.getByTestId("statement")).toContainText(`kind: ${kind}`);
  await dialog.getByLabel("Private key file (armored)").setInputFiles(person.keyFile);
  await dialog.getByRole("button", { name: "Sign and submit" }).click();
  await expect(dialog.getByRole("status")).toContainText("Signed and recorded");
  await closeDialog(page);
}

const FILLED: Record<string, string> = {
  Introduction:
    "This bug tracks an update for the Certbot family of packages, version 2.11.0.\n\n" +
    "This update includes new features following the SRU policy exception defined at https://wiki.ubuntu.com/StableReleaseUpdates/Certbot.",
  Impact:
    "Not directly applicable; see the exception policy document at https://wiki.ubuntu.com/StableReleaseUpdates/Certbot\n\n" +
    "Let's Encrypt ends OCSP: certbot 2.11 stops asking for OCSP must-staple and renews before short-lived certificates expire.",
  "Major Changes":
    "- certbot renew honours the ACME renewal information (ARI) window.\n" +
    "- The --must-staple option is removed; scripts passing it now fail. This is not backwards compatible.\n" +
    "- python-acme drops its deprecated crypto_util helpers.",
  "Regression Potential":
    "Upstream performs extensive testing before release.\n\n" +
    "Renewal hooks that parse the old log lines may need changes.",
};

test("an SRU record: created from the template, filled, submitted, reviewed and acknowledged, two series verified", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const crt = localhostCertificate();
  const apache = await httpsServer(crt, "apache");
  const nginx = await httpsServer(crt, "nginx");
  const url = (s: Server) => `https://localhost:${(s.address() as AddressInfo).port}/`;
  const worker = startWorkerProcess({
    DATABASE_URL: process.env.DATABASE_URL!,
    REDIS_URL: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
    BULLMQ_PREFIX: `e2e-sru-${tag}`,
    SMTP_URL: "smtp://127.0.0.1:2",
    MAIL_FROM: "patchgate@e2e.example.org",
    PUBLIC_URL: process.env.PUBLIC_URL!,
    PORTAL_KEY_PASSPHRASE: process.env.PORTAL_KEY_PASSPHRASE!,
  });
  try {
    const [system, admin, dana, ada, bert, tara] = await Promise.all([
      targetSystem(),
      keyedPerson("admin", `Paula Admin ${tag}`),
      keyedPerson("developer", `Dana Submitter ${tag}`),
      keyedPerson("assessor", `Ada Assessor ${tag}`),
      keyedPerson("assessor", `Bert Assessor ${tag}`),
      keyedPerson("tester", `Tara Tester ${tag}`),
    ]);

    // The admin adds the seed's template and allows localhost for HTTPS checks.
    const adminPage = await pageFor(browser, admin);
    await adminPage.goto("/updates");
    await adminPage.getByRole("link", { name: "Update templates" }).click();
    const add = adminPage.getByRole("region", { name: "Add a template" });
    await add.getByLabel("Slug", { exact: true }).fill(`certbot-sru-${tag}`);
    await add.getByLabel("Name", { exact: true }).fill(`Certbot SRU ${tag}`);
    await add.getByLabel(/^Markdown/).fill(CERTBOT_SRU_TEMPLATE.body);
    await add.getByRole("button", { name: "Add the template" }).click();
    await expect(adminPage.getByTestId(`template-certbot-sru-${tag}`)).toBeVisible();
    await screens(adminPage, "sru-templates");
    await adminPage.goto("/updates");
    await adminPage.getByRole("link", { name: "HTTPS hosts" }).click();
    if ((await adminPage.getByTestId("host-localhost").count()) === 0) {
      await adminPage.getByLabel("Host", { exact: true }).fill("localhost");
      await adminPage.getByLabel("Note", { exact: true }).fill("the e2e HTTPS servers");
      await adminPage.getByRole("button", { name: "Allow" }).click();
    }
    await expect(adminPage.getByTestId("host-localhost")).toBeVisible();
    await screens(adminPage, "sru-https-hosts");

    // Dana creates the record from the template.
    const page = await pageFor(browser, dana);
    await page.getByRole("link", { name: "Updates" }).click();
    await page.getByLabel(/^Template/).selectOption({ label: `Certbot SRU ${tag}` });
    await page.getByLabel(/^Target system/).selectOption(system);
    await page.getByLabel("Title", { exact: true }).fill(`certbot 2.11.0 SRU ${tag}`);
    await page.getByLabel(/^Packages/).fill(PACKAGES.join(", "));
    await page.getByLabel("Version", { exact: true }).fill("2.11.0");
    await page.getByLabel(/^Series/).fill("focal, jammy, noble");
    await page.getByLabel("Bug", { exact: true }).fill("2081234");
    await page.getByRole("button", { name: "Create the record" }).click();
    await page.waitForURL(/\/updates\/[^/]+$/);
    const recordUrl = page.url();
    await expect(page.getByTestId("update-state")).toHaveText("DRAFT");

    // The TODOs are highlighted: five lines, each with its <mark>.
    const body = page.getByTestId("update-body");
    await expect(page.getByTestId("todo-count")).toHaveText("5 TODOs left");
    await expect(body.locator("mark")).toHaveCount(5);
    await expect(body.getByTestId("section-Impact").locator("mark")).toHaveCount(1);
    await noSeriousViolations(page);
    await screens(page, "sru-draft");

    // Submitting is refused while they remain; the list is shown inline.
    await page.getByRole("button", { name: "Submit (sign)" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Get statement" }).click();
    const refused = page.getByTestId("submit-refused");
    await expect(refused).toContainText("Impact, line");
    await expect(refused).toContainText("Major Changes, line");
    await expect(refused.locator("li")).toHaveCount(5);
    await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
    await expect(refused).toBeVisible();
    await screens(page, "sru-refused");

    // Filled, section by section.
    for (const [title, text] of Object.entries(FILLED))
      await page.getByRole("textbox", { name: title, exact: true }).fill(text);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByText("no TODO left")).toBeVisible();
    await expect(body.locator("mark")).toHaveCount(0);
    await expect(page.getByTestId("change-2")).toContainText("not backwards compatible");

    // Submitted, signed in the browser.
    await sign(page, page, "Submit (sign)", dana, "update-submit");
    await expect(page.getByTestId("update-state")).toHaveText("SUBMITTED");

    // Ada acknowledges the incompatible change and approves; Bert approves.
    const adaPage = await pageFor(browser, ada);
    await adaPage.goto(recordUrl);
    await expect(adaPage.getByTestId("waiting-for")).toContainText(
      "acknowledgement of major change 2",
    );
    await sign(
      adaPage,
      adaPage.getByTestId("change-2"),
      "Acknowledge (sign)",
      ada,
      "update-major-ack",
      (d) =>
        d
          .getByLabel(/^Comment/)
          .fill("Scripts passing --must-staple fail loudly; fine for an SRU."),
    );
    await expect(adaPage.getByTestId("ack-2")).toContainText(`acknowledged by Ada Assessor ${tag}`);
    await sign(adaPage, adaPage, "Approve/Reject (sign)", ada, "update-review", (d) =>
      d.getByRole("radio", { name: "approve" }).check(),
    );
    const bertPage = await pageFor(browser, bert);
    await bertPage.goto(recordUrl);
    await sign(bertPage, bertPage, "Approve/Reject (sign)", bert, "update-review", (d) =>
      d.getByRole("radio", { name: "approve" }).check(),
    );
    await expect(bertPage.getByTestId("update-state")).toHaveText("APPROVED");
    for (const s of ["focal", "jammy", "noble"])
      await expect(bertPage.getByTestId(`tag-verification-needed-${s}`)).toBeVisible();

    // Tara verifies focal and jammy.
    const taraPage = await pageFor(browser, tara);
    await taraPage.goto(recordUrl);
    for (const s of ["focal", "jammy"]) {
      const panel = taraPage.getByTestId(`series-${s}`);
      await panel.getByLabel("Domain", { exact: true }).fill("localhost");
      await panel
        .getByLabel("ACME server", { exact: true })
        .fill("https://acme-staging-v02.api.letsencrypt.org/directory");
      await panel.getByLabel("Certificate (PEM)", { exact: true }).fill(crt.cert);
      await submitForm(taraPage, panel, "Record ACME certificate", "ACME certificate recorded");
      await expect(taraPage.getByTestId(`cell-${s}-acme`)).toHaveAttribute("data-state", "ok");
      await panel
        .getByLabel("Link to the result", { exact: true })
        .fill(`https://autopkgtest.ubuntu.com/results/${s}/python-certbot`);
      await panel.getByLabel(/^Result/).selectOption("pass");
      await submitForm(taraPage, panel, "Record dep8 result", "dep8 result recorded");
      await expect(taraPage.getByTestId(`cell-${s}-smoke`)).toHaveAttribute("data-state", "ok");
      for (const [server, srv] of [
        ["apache", apache],
        ["nginx", nginx],
      ] as const) {
        await panel.getByLabel(/^Server/).selectOption(server);
        await panel.getByLabel(/^URL/).fill(url(srv));
        await panel.getByLabel(/^CA bundle/).fill(crt.ca);
        await submitForm(taraPage, panel, "Check over HTTPS", "HTTPS check queued");
      }
      // The worker connects; the page shows what it found on a reload.
      try {
        await expect(async () => {
          await taraPage.reload();
          await expect(taraPage.getByTestId(`cell-${s}-apache`)).toHaveAttribute(
            "data-state",
            "ok",
            {
              timeout: 500,
            },
          );
          await expect(taraPage.getByTestId(`cell-${s}-nginx`)).toHaveAttribute(
            "data-state",
            "ok",
            {
              timeout: 500,
            },
          );
        }).toPass({ timeout: 30_000 });
      } catch (e) {
        throw new Error(`${String(e)}\nthe worker said:\n${worker.output()}`);
      }
      if (s === "focal") await screens(taraPage, "sru-verifying");
      await sign(
        taraPage,
        taraPage.getByTestId(`series-${s}`),
        `Verify ${s} (sign)`,
        tara,
        "update-verify",
        (d) =>
          d
            .getByLabel(/^Comment/)
            .fill(`Verified on ${s}: ${PACKAGES.map((p) => `${p} 2.11.0`).join(", ")}.`),
      );
      await expect(taraPage.getByTestId(`tag-verification-done-${s}`)).toBeVisible();
    }

    // The tags: two series done, one still needed.
    await taraPage.goto(recordUrl);
    const tags = taraPage.getByTestId("update-tags");
    await expect(tags.getByTestId("tag-verification-done-focal")).toBeVisible();
    await expect(tags.getByTestId("tag-verification-done-jammy")).toBeVisible();
    await expect(tags.getByTestId("tag-verification-needed-noble")).toBeVisible();
    await expect(taraPage.getByTestId("cell-noble-acme")).toHaveAttribute("data-state", "missing");
    await expect(taraPage.getByTestId("cell-focal-signed")).toHaveAttribute("data-state", "ok");
    await noSeriousViolations(taraPage);
    await screens(taraPage, "sru-verified");
    // The picture alone on a phone, to look at it at its real size.
    await taraPage.setViewportSize({ width: 390, height: 844 });
    await taraPage
      .getByTestId("series-grid")
      .screenshot({ path: "test-results/screens/sru-grid-390.png" });
    await taraPage.setViewportSize({ width: 1280, height: 900 });
    await taraPage.goto("/updates");
    await expect(taraPage.getByTestId("tag-verification-needed-noble").first()).toBeVisible();
    await screens(taraPage, "sru-list");
  } finally {
    await worker.stop("SIGTERM");
    apache.close();
    nginx.close();
  }
});
