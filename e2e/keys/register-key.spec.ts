import { expect, test } from "../fixtures/test";
import * as openpgp from "openpgp";
import { createPerson } from "../fixtures/people";
import { signIn } from "../fixtures/session";

const spaced = (fpr: string) => fpr.replace(/(.{4})/g, "$1 ").trim();

test("a person registers a key by pasting it and sees its full fingerprint", async ({ page }) => {
  const ada = createPerson(["assessor"]);
  const { publicKey, privateKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ email: ada.email }],
    format: "armored",
  });
  const fpr = (await openpgp.readKey({ armoredKey: publicKey })).getFingerprint().toUpperCase();

  await signIn(page, ada);
  await page.goto("/profile");
  const paste = page.getByLabel(/Armored public key/);

  await paste.fill(privateKey);
  await page.getByRole("button", { name: "Register key" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This is a private key" })).toBeVisible();
  await expect(page.getByTestId("key-card")).toHaveCount(0);

  await paste.fill(publicKey);
  await page.getByRole("button", { name: "Register key" }).click();
  await expect(page.getByTestId("fingerprint")).toHaveText(spaced(fpr));
});

test("a person generates a key in the browser; only the public half reaches the server", async ({
  page,
}) => {
  const tara = createPerson(["tester"], { name: "Tara Generates" });
  await signIn(page, tara);
  await page.goto("/profile");
  await page.getByLabel("Passphrase", { exact: true }).fill("correct horse battery staple");
  await page.getByLabel("Passphrase again").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Generate key" }).click();
  await expect(page.getByText("Key generated and registered")).toBeVisible({ timeout: 20_000 });
  const download = page.getByRole("link", { name: /Download the private key/ });
  await expect(download).toBeVisible();

  // The private key is in this browser's IndexedDB, encrypted with the passphrase.
  const stored = await page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open("patchgate");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction("private-keys").objectStore("private-keys").getAll();
          all.onsuccess = () => resolve(all.result[0].armoredPrivateKey);
        };
      }),
  );
  const privateKey = await openpgp.readPrivateKey({ armoredKey: stored });
  expect(privateKey.isDecrypted()).toBe(false);
  await openpgp.decryptKey({ privateKey, passphrase: "correct horse battery staple" });

  await page.reload();
  await expect(page.getByTestId("fingerprint")).toHaveText(
    spaced(privateKey.getFingerprint().toUpperCase()),
  );
  await page.screenshot({ path: "test-results/screens/profile-keys.png", fullPage: true });
});
