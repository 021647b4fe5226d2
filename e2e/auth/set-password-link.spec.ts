import { randomBytes } from "node:crypto";
import { expect, test } from "../fixtures/test";
import { simpleParser } from "mailparser";
import { startSmtpPeer } from "../../peers/smtp-peer";
import { killWorkerProcesses, startWorkerProcess } from "../../test/workers/worker-process";
import { DEFAULT_REDIS_URL } from "../../lib/env-defaults";
import { createPerson } from "../fixtures/people";
import { signIn } from "../fixtures/session";

test.afterAll(killWorkerProcesses);

test("an account an admin makes gets a one-time link by mail; the person follows it, chooses a password and signs in", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const smtp = await startSmtpPeer();
  const worker = startWorkerProcess({
    DATABASE_URL: process.env.DATABASE_URL!,
    REDIS_URL: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
    BULLMQ_PREFIX: `e2e-link-${randomBytes(4).toString("hex")}`,
    SMTP_URL: smtp.url,
    MAIL_FROM: "patchgate@e2e.example.org",
    PUBLIC_URL: process.env.PUBLIC_URL!,
    PORTAL_KEY_PASSPHRASE: process.env.PORTAL_KEY_PASSPHRASE!,
  });
  try {
    const admin = createPerson(["admin"]);
    const adminPage = await (await browser.newContext()).newPage();
    await signIn(adminPage, admin);
    await adminPage.goto("/admin/roles");
    const email = `nina-${Date.now()}@e2e.example.org`;
    const form = adminPage
      .locator("form")
      .filter({ has: adminPage.getByRole("button", { name: "Create account" }) });
    // The admin is never asked for a password.
    await expect(form.locator('input[type="password"]')).toHaveCount(0);
    await form.getByLabel("Name").fill("Nina New");
    await form.getByLabel("Email").fill(email);
    await form.getByRole("button", { name: "Create account" }).click();
    await expect(
      adminPage.getByRole("status").filter({ hasText: "a link to choose a password" }),
    ).toBeVisible();

    await expect
      .poll(() => smtp.messages.filter((m) => m.to.includes(email)).length, { timeout: 30_000 })
      .toBe(1);
    const mail = await simpleParser(smtp.messages.find((m) => m.to.includes(email))!.raw);
    const link = /https?:\/\/\S+\/set-password\/[A-Za-z0-9_-]{43}/.exec(mail.text ?? "")?.[0];
    expect(link, worker.output()).toBeTruthy();

    const page = await (await browser.newContext()).newPage();
    await page.goto(link!);
    await expect(page.getByText(`For Nina New (${email})`)).toBeVisible();
    await page.getByLabel("New password (at least 10 characters)").fill("ninas-own-password");
    await page.getByLabel("New password again").fill("ninas-own-password");
    await page.screenshot({ path: "test-results/screens/set-password-link.png" });
    await page.getByRole("button", { name: "Set my password" }).click();
    await expect(page).toHaveURL(/\/login\?changed=1$/);

    await signIn(page, { email, password: "ninas-own-password" });
    await expect(page.getByRole("heading", { name: "Hello, Nina New" })).toBeVisible();

    // Used once, the link is dead.
    const again = await (await browser.newContext()).newPage();
    await again.goto(link!);
    await expect(
      again.getByRole("alert").filter({ hasText: "This link is not valid" }),
    ).toBeVisible();
    await expect(again.getByRole("button", { name: "Set my password" })).toHaveCount(0);
  } finally {
    await worker.stop("SIGTERM");
    await smtp.stop();
  }
});
