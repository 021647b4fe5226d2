import { expect, test } from "../fixtures/test";
import * as openpgp from "openpgp";
import { createPerson } from "../fixtures/people";
import { signIn } from "../fixtures/session";

// Finding 7: a person pastes their key's revocation certificate on the profile
// page; the key shows as revoked and is offered for signing no more. Finding 8:
// a key whose user IDs lack the account's address is refused.

test("a person pastes a revocation certificate and the key shows revoked", async ({ page }) => {
  const ada = createPerson(["assessor"], { name: "Ada Revokes" });
  const { publicKey, revocationCertificate } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name: ada.name, email: ada.email }],
    format: "armored",
  });
  const stranger = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ email: "someone-else@e2e.example.org" }],
    format: "armored",
  });

  await signIn(page, ada);
  await page.goto("/profile");
  const paste = page.getByLabel(/Armored public key/);
  await paste.fill(stranger.publicKey);
  await page.getByRole("button", { name: "Register key" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: `carries your account's address ${ada.email}` }),
  ).toBeVisible();
  await expect(page.getByTestId("key-card")).toHaveCount(0);

  await paste.fill(publicKey);
  await page.getByRole("button", { name: "Register key" }).click();
  const card = page.getByTestId("key-card");
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId("key-user-id-warning")).toHaveCount(0);

  // Another key's revocation certificate is refused and changes nothing.
  await card.getByText("Update or revoke this key").click();
  const material = card.getByLabel(/revocation certificate/);
  await material.fill(stranger.revocationCertificate);
  await card.getByRole("button", { name: "Send to the portal" }).click();
  await expect(card.getByRole("alert")).toContainText("for another key");
  await expect(card.getByTestId("key-revoked")).toHaveCount(0);

  await material.fill(revocationCertificate);
  await card.getByRole("button", { name: "Send to the portal" }).click();
  await expect(page.getByTestId("key-revoked")).toContainText("revoked");
  await expect(page.getByText("Update or revoke this key")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("key-revoked")).toContainText("revoked");
  await expect(page.getByText(/Signs nothing from its revocation on/)).toBeVisible();
});
