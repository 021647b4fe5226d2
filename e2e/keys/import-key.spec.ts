import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type BrowserContext, type Page } from "../fixtures/test";
import * as openpgp from "openpgp";
import { makeKey } from "../../test/pgp-fixtures";
import { createPerson } from "../fixtures/people";
import { signIn } from "../fixtures/session";
import {
  closeDialog,
  createKeyedPerson,
  createSystem,
  diffFile,
  openStatement,
  pageFor,
  signInBrowser,
  uploadPatch,
} from "../patches/patch-helpers";

const SHOTS = process.env.E2E_SHOTS ?? "/tmp/shots-keys";
const PASSPHRASE = "a long passphrase nobody else knows";
const spaced = (fpr: string) => fpr.replace(/(.{4})/g, "$1 ").trim();

/** Everything the browser sends from this context: method, URL and body of every request. */
function recordRequests(context: BrowserContext): string[] {
  const sent: string[] = [];
  context.on("request", (r) => {
    sent.push(`${r.method()} ${r.url()}\n${r.postDataBuffer()?.toString("utf8") ?? ""}`);
  });
  return sent;
}

/** The base64 lines of the private key's armor that its public key does not share: secret material. */
function secretLines(privateKey: string, publicKey: string): string[] {
  const pub = new Set(publicKey.split("\n"));
  return privateKey.split("\n").filter((l) => /^[A-Za-z0-9+/]{40,}={0,2}$/.test(l) && !pub.has(l));
}

function expectNothingSecret(sent: string[], secrets: { passphrase: string; lines: string[] }) {
  expect(sent.length).toBeGreaterThan(0);
  for (const s of sent) {
    expect(s).not.toContain("PRIVATE KEY");
    expect(s).not.toContain(secrets.passphrase);
    for (const line of secrets.lines) expect(s).not.toContain(line);
  }
}

/** The armored keys in this browser's IndexedDB store. */
async function storedKeys(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open("patchgate");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("private-keys")) return resolve([]);
          const all = db.transaction("private-keys").objectStore("private-keys").getAll();
          all.onsuccess = () =>
            resolve(all.result.map((e: { armoredPrivateKey: string }) => e.armoredPrivateKey));
        };
      }),
  );
}

function keyFile(privateKey: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "pg-e2e-import-")), "secret-key.asc");
  writeFileSync(file, privateKey);
  return file;
}

test("a person imports a private key once, registers it, and signs a review with only its passphrase; nothing secret leaves the page", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  // A patch waiting for reviews, submitted by a developer in the browser.
  const system = createSystem("webdb");
  const dev = await createKeyedPerson(["developer"], { name: "Dana Developer" });
  const devPage = await pageFor(browser, dev);
  const url = await uploadPatch(devPage, {
    system,
    title: "Show revoked server certs in the domain list",
    file: diffFile("import"),
  });
  await signInBrowser(devPage, dev, "Sign the submission", { comment: "Tested locally." });
  await expect(devPage.getByTestId("state-chip")).toHaveText("in review");

  // An assessor with no key on the portal yet, and a key of their own in a file.
  const ada = createPerson(["assessor"], { name: "Ada Importer" });
  const key = await makeKey({ name: ada.name, email: ada.email, passphrase: PASSPHRASE });
  const secrets = { passphrase: PASSPHRASE, lines: secretLines(key.privateKey, key.publicKey) };
  expect(secrets.lines.length).toBeGreaterThan(0);

  const context = await browser.newContext();
  const sent = recordRequests(context);
  const page = await context.newPage();
  await signIn(page, ada);
  await page.goto("/profile");
  await expect(page.getByTestId("no-browser-keys")).toBeVisible();
  await expect(page.getByTestId("key-card")).toHaveCount(0);

  // The file is read in the page: what it holds is shown before any passphrase is asked.
  const importer = page.getByRole("region", { name: "Import a private key" });
  await importer.getByLabel("Private key file").setInputFiles(keyFile(key.privateKey));
  const found = importer.getByTestId("import-found");
  await expect(found).toContainText(spaced(key.fingerprint));
  await expect(found).toContainText(ada.email);
  await expect(found).toContainText("protected by a passphrase");
  await expect(found).toContainText("not registered to you yet");
  await importer.getByLabel(/Passphrase of this key/).fill(PASSPHRASE);
  await page.screenshot({ path: `${SHOTS}/profile-import-found-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await found.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/profile-import-found-390.png` });
  await page.setViewportSize({ width: 1280, height: 860 });
  await importer.getByRole("button", { name: "Register its public key and import" }).click();
  await expect(importer.getByRole("status")).toContainText(`Imported ${spaced(key.fingerprint)}`, {
    timeout: 20_000,
  });

  // Registered on the server (public half), held in this browser (private half, still encrypted).
  await expect(page.getByTestId("fingerprint")).toHaveText(spaced(key.fingerprint));
  const held = page.getByTestId("browser-key");
  await expect(held).toHaveCount(1);
  await expect(held).toContainText(spaced(key.fingerprint));
  await expect(held).toContainText("imported");
  await expect(held).toContainText("registered to you");
  const [stored] = await storedKeys(page);
  const storedKey = await openpgp.readPrivateKey({ armoredKey: stored });
  expect(storedKey.getFingerprint().toUpperCase()).toBe(key.fingerprint);
  expect(storedKey.isDecrypted()).toBe(false);
  await openpgp.decryptKey({ privateKey: storedKey, passphrase: PASSPHRASE });

  await page.screenshot({ path: `${SHOTS}/profile-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  // A phone shows the page without sideways scrolling.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: `${SHOTS}/profile-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 860 });

  // The review: the imported key is picked by fingerprint; only its passphrase is asked.
  await page.goto(url);
  const dialog = await openStatement(page, "Sign a review", {
    verdict: "approve",
    comment: "Read every line; signed with my imported key.",
  });
  await expect(dialog.getByTestId("statement")).toContainText(
    `key-fingerprint: ${key.fingerprint}`,
  );
  await expect(
    dialog.getByRole("radio", { name: new RegExp(spaced(key.fingerprint)) }),
  ).toBeChecked();
  await expect(dialog.getByLabel("Private key file (armored)")).toHaveCount(0);
  await dialog.getByLabel(/Passphrase/).fill(PASSPHRASE);
  await page.screenshot({ path: `${SHOTS}/sign-dialog-1280.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await dialog.getByRole("button", { name: "Sign and submit" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/sign-dialog-390.png` });
  await page.setViewportSize({ width: 1280, height: 860 });
  await dialog.getByRole("button", { name: "Sign and submit" }).click();
  await expect(dialog.getByRole("status")).toContainText("Signed and recorded");
  await closeDialog(page);
  await expect(page.getByTestId("gate-review-count")).toHaveText("1 / 2");
  await expect(page.getByTestId("gate-review")).toContainText("Ada Importer");

  // What went out: the public key and the detached signature, never the private key or passphrase.
  expectNothingSecret(sent, secrets);
  expect(sent.some((s) => s.includes("BEGIN PGP PUBLIC KEY BLOCK"))).toBe(true);
  expect(sent.some((s) => s.includes("BEGIN PGP SIGNATURE"))).toBe(true);

  // Forgetting it touches this browser only: the key stays registered.
  await page.goto("/profile");
  page.once("dialog", (d) => d.accept());
  await page
    .getByRole("button", { name: `Forget ${spaced(key.fingerprint)} in this browser` })
    .click();
  await expect(page.getByTestId("no-browser-keys")).toBeVisible();
  expect(await storedKeys(page)).toEqual([]);
  await expect(page.getByTestId("fingerprint")).toHaveText(spaced(key.fingerprint));
  await context.close();
});

test("the import refuses a public key, a wrong passphrase and someone else's key, and protects an unprotected key before storing it", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const bo = createPerson(["tester"], { name: "Bo Careful" });
  const other = await createKeyedPerson(["tester"], {
    name: "Olga Other",
    passphrase: "olga's own passphrase",
  });
  const protectedKey = await makeKey({ email: bo.email, passphrase: PASSPHRASE });
  const bare = await makeKey({ name: bo.name, email: bo.email });
  const NEW_PASSPHRASE = "a fresh passphrase for this browser";

  const context = await browser.newContext();
  const sent = recordRequests(context);
  const page = await context.newPage();
  await signIn(page, bo);
  await page.goto("/profile");
  const importer = page.getByRole("region", { name: "Import a private key" });
  const paste = importer.getByLabel("Paste the armored private key");
  const found = importer.getByTestId("import-found");

  // A public key is refused at once, with where it belongs.
  await paste.fill(protectedKey.publicKey);
  await expect(importer.getByRole("alert")).toContainText("This is a public key");
  await expect(found).toHaveCount(0);
  await expect(importer.getByRole("button", { name: /import/i })).toHaveCount(0);

  // A wrong passphrase: nothing registered, nothing stored.
  await paste.fill(protectedKey.privateKey);
  await expect(found).toContainText(spaced(protectedKey.fingerprint));
  await importer.getByLabel(/Passphrase of this key/).fill("not the passphrase");
  await importer.getByRole("button", { name: "Register its public key and import" }).click();
  await expect(importer.getByRole("alert")).toContainText("Wrong passphrase");
  await expect(page.getByTestId("key-card")).toHaveCount(0);
  expect(await storedKeys(page)).toEqual([]);

  // Someone else's key: the server refuses to register it, so nothing is stored either.
  await paste.fill(other.privateKey);
  await importer.getByLabel(/Passphrase of this key/).fill(other.passphrase);
  await importer.getByRole("button", { name: "Register its public key and import" }).click();
  // Her key names her address, not his: refused before the duplicate check.
  await expect(importer.getByRole("alert")).toContainText("carries your account's address");
  await expect(page.getByTestId("key-card")).toHaveCount(0);
  expect(await storedKeys(page)).toEqual([]);

  // An unprotected key: the browser's copy is encrypted with a new passphrase typed twice.
  await paste.fill(bare.privateKey);
  await expect(found).toContainText("no passphrase");
  await importer.getByLabel("New passphrase for this browser's copy").fill(NEW_PASSPHRASE);
  await importer.getByLabel("Repeat the new passphrase").fill(`${NEW_PASSPHRASE}!`);
  await importer.getByRole("button", { name: "Register its public key and import" }).click();
  await expect(importer.getByRole("alert")).toContainText("The two passphrases differ");
  await importer.getByLabel("Repeat the new passphrase").fill(NEW_PASSPHRASE);
  await importer.getByRole("button", { name: "Register its public key and import" }).click();
  await expect(importer.getByRole("status")).toContainText("encrypted with your new passphrase");
  await expect(page.getByTestId("fingerprint")).toHaveText(spaced(bare.fingerprint));
  const stored = await storedKeys(page);
  expect(stored).toHaveLength(1);
  const storedKey = await openpgp.readPrivateKey({ armoredKey: stored[0] });
  expect(storedKey.getKeys().every((k) => !k.isDecrypted())).toBe(true);
  await openpgp.decryptKey({ privateKey: storedKey, passphrase: NEW_PASSPHRASE });

  for (const secret of [
    { passphrase: PASSPHRASE, lines: secretLines(protectedKey.privateKey, protectedKey.publicKey) },
    { passphrase: NEW_PASSPHRASE, lines: secretLines(bare.privateKey, bare.publicKey) },
    {
      passphrase: other.passphrase,
      lines: secretLines(
        other.privateKey,
        (await openpgp.readPrivateKey({ armoredKey: other.privateKey })).toPublic().armor(),
      ),
    },
  ])
    expectNothingSecret(sent, secret);
  await context.close();
});
