import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import * as openpgp from "openpgp";
import { createPerson, e2eEmail, type TE2EPerson } from "../fixtures/people";
import { signIn } from "../fixtures/session";
import { operator } from "../fixtures/operator";

const tmp = () => mkdtempSync(path.join(tmpdir(), "pg-e2e-patch-"));

export type TKeyedPerson = TE2EPerson & {
  keyFile: string;
  privateKey: string;
  passphrase: string;
  fingerprint: string;
};

/** A target system, added as an operator would, with a fresh slug. */
export function createSystem(name = "webdb"): string {
  const slug = `${name}-${randomBytes(3).toString("hex")}`;
  const label = `${name} ${slug.slice(-6)}`;
  operator(
    "system",
    { slug, name: label },
    ["system", "add", "--slug", slug, "--name", label],
    () => null,
  );
  return slug;
}

/** A person with roles and a registered key; the private key sits in a file, as a user would keep it. */
export async function createKeyedPerson(
  roles: string[],
  opts: { name?: string; passphrase?: string } = {},
): Promise<TKeyedPerson> {
  const passphrase = opts.passphrase ?? "";
  const email = e2eEmail(roles[0]);
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [
      {
        name: opts.name ?? roles[0],
        email,
      },
    ],
    passphrase: passphrase || undefined,
    format: "armored",
  });
  const fingerprint = (await openpgp.readKey({ armoredKey: publicKey }))
    .getFingerprint()
    .toUpperCase();
  const person = createPerson(roles, { name: opts.name, publicKey, email });
  const keyFile = path.join(tmp(), "secret-key.asc");
  writeFileSync(keyFile, privateKey);
  return { ...person, keyFile, privateKey, passphrase, fingerprint };
}

/** A unified diff on disk, for the upload field. */
export function diffFile(tag = "1"): string {
  const file = path.join(tmp(), `fix-${tag}.diff`);
  writeFileSync(
    file,
    `--- a/www/account.php\n+++ b/www/account.php\n@@ -10,4 +10,5 @@\n \t$query = "select * from domains where memid='".intval($_SESSION['profile']['id'])."'";\n-\t$res = mysql_query($query);\n+\t$res = mysql_query($query); // list revoked certs too (${tag})\n+\tif ($res === false) { showfooter(); exit; }\n \tif (mysql_num_rows($res) <= 0) {\n \t\techo _("No domains are currently listed.");\n`,
  );
  return file;
}

/** A signed-in page for this person in a context of their own. */
export async function pageFor(
  browser: Browser,
  person: TE2EPerson,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await signIn(page, person);
  return page;
}

/** Uploads a patch through the new-patch form; returns the patch page's URL. */
export async function uploadPatch(
  page: Page,
  f: { system: string; title: string; file: string; bugId?: string },
): Promise<string> {
  await page.goto("/patches/new");
  await page.getByLabel("Target system").selectOption(f.system);
  await page.getByLabel("Title").fill(f.title);
  await page.getByLabel("Bug number").fill(f.bugId ?? "1234");
  await page
    .getByLabel("Bug's short description")
    .fill("If I delete domains, no server certs are listed");
  await page
    .getByLabel("Summary")
    .fill("Revoked server certificates were hidden from the domain list.");
  await page.getByLabel(/Diff file/).setInputFiles(f.file);
  await page.getByRole("button", { name: "Upload patch" }).click();
  await page.waitForURL(/\/patches\/(?!new)[^/]+$/);
  return page.url();
}

/** Opens the signing dialog and asks the server for the statement. */
export async function openStatement(
  page: Page,
  button: string,
  opts: { verdict?: string; comment?: string } = {},
) {
  // A patch page checks the diff it shows before signing: wait until it is shown.
  await expect(page.getByTestId("diff-loading")).toHaveCount(0);
  await page.getByRole("button", { name: button }).click();
  const dialog = page.getByRole("dialog");
  if (opts.verdict) await dialog.getByRole("radio", { name: opts.verdict }).check();
  // A withdraw asks for its reason where the others ask for a comment.
  if (opts.comment) await dialog.getByLabel(/^(Comment|Reason)/).fill(opts.comment);
  await dialog.getByRole("button", { name: "Get statement" }).click();
  return dialog;
}

/** Signs in the browser with the person's key file (openpgp.js, in the page). */
export async function signInBrowser(
  page: Page,
  person: TKeyedPerson,
  button: string,
  opts: { verdict?: string; comment?: string } = {},
) {
  const dialog = await openStatement(page, button, opts);
  await expect(dialog.getByTestId("statement")).toContainText("patchgate-statement v1");
  await dialog.getByLabel("Private key file (armored)").setInputFiles(person.keyFile);
  if (person.passphrase) await dialog.getByLabel(/Passphrase/).fill(person.passphrase);
  await dialog.getByRole("button", { name: "Sign and submit" }).click();
  await expect(dialog.getByRole("status")).toContainText("Signed and recorded");
  await closeDialog(page);
}

/** Closes the dialog after a recorded sign-off; the page then refreshes. */
export async function closeDialog(page: Page) {
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await expect(dialog).toHaveCount(0);
}
