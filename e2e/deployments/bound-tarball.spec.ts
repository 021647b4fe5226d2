import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "../fixtures/test";
import * as openpgp from "openpgp";
import { signIn } from "../fixtures/session";
import { createPerson } from "../fixtures/people";
import {
  auth,
  keyedPerson,
  requestedPatch,
  type TKeyedPerson,
  type TRequestedPatch,
} from "../fixtures/requested-patch";
import { tickInBrowser, tickOverApi } from "../fixtures/deployment";
import { startSmtpPeer } from "../../peers/smtp-peer";
import { startSftpPeer } from "../../peers/sftp-peer";
import { splitSigned } from "../../peers/mime-parts";
import { gpgVerifyDetached } from "../../peers/gpg";
import { startWorkerProcess, type TWorkerEnv } from "../../test/workers/worker-process";

// P7 and P9 end to end: the admin uploads the tarball at step 7 and signs the
// notification in the browser; a real worker process sends it to an SMTP peer
// and mirrors the tarball to an SFTP peer; stock gpg verifies the list mail
// against the admin's own key. Without an upload, the outbox page names the
// file the worker waits for.

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const LIST = "cacert-systemlog@lists.e2e.example.org";
const TEAM = "cacert-sysadm@lists.e2e.example.org";
const SHOTS = "/tmp/shots-mail";

let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let sftp: Awaited<ReturnType<typeof startSftpPeer>>;
let worker: ReturnType<typeof startWorkerProcess>;
let sshKey: string;

test.beforeAll(async () => {
  smtp = await startSmtpPeer();
  sftp = await startSftpPeer();
  mkdirSync(path.join(sftp.root, "test1"));
  sshKey = path.join(mkdtempSync(path.join(tmpdir(), "pg-e2e-ssh-")), "id");
  writeFileSync(sshKey, sftp.clientPrivateKey, { mode: 0o600 });
  const env = {
    DATABASE_URL: process.env.DATABASE_URL!,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    BULLMQ_PREFIX: `pge2e-${randomBytes(4).toString("hex")}`,
    SMTP_URL: smtp.url,
    MAIL_FROM: "patchgate@portal.e2e.example.org",
    PUBLIC_URL: process.env.PUBLIC_URL!,
    // The app may have made the portal key first (a dossier export): the same passphrase.
    PORTAL_KEY_PASSPHRASE: process.env.PORTAL_KEY_PASSPHRASE!,
    TARBALL_DIR: process.env.TARBALL_DIR!,
  };
  worker = startWorkerProcess(env as TWorkerEnv);
});

test.afterAll(async () => {
  await worker?.stop("SIGTERM");
  await smtp?.stop();
  await sftp?.close();
});

/**
 * Points the system's worker steps at the peers, as the operator does with the CLI. Not
 * execFileSync: a blocked event loop misses the server closing an idle keep-alive socket,
 * and the next API request dies on it (ECONNRESET).
 */
async function configure(slug: string) {
  await promisify(execFile)(
    process.execPath,
    [
      "bin/patchgate.mjs",
      "system",
      "set",
      slug,
      "--system-log",
      LIST,
      "--assessment-team",
      TEAM,
      "--mirror",
      `sftp://mirror@127.0.0.1:${sftp.port}/test1`,
      "--host-key",
      sftp.hostFingerprint,
      "--ssh-key",
      sshKey,
    ],
    { cwd: ROOT, env: process.env },
  );
}

async function noSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}

/** Steps 1–6 signed over the API (X1); the steps this spec is about go through the page. */
async function tickUpToStep6(
  request: APIRequestContext,
  admin: TKeyedPerson,
  patch: TRequestedPatch,
) {
  expect(
    (
      await request.post(`/api/v1/patches/${patch.id}/deployment`, { headers: auth(admin) })
    ).status(),
  ).toBe(201);
  const evidence: Record<number, object> = {
    3: { checksumMatched: true },
    4: { assessment: "Low risk.", webServerStopped: false },
    5: { output: "patching file www/account.php", result: "clean" },
    6: { commitMessage: `Fix for bug #${patch.bugId}` },
  };
  for (let n = 1; n <= 6; n++) {
    const r = await tickOverApi(request, admin, patch.id, n, evidence[n] ?? {});
    expect(r.status(), await r.text()).toBe(201);
  }
}

/** A requested patch on a system wired to the peers, steps 1–6 ticked, its deployment page open as the admin. */
async function atStep7(page: Page, request: APIRequestContext) {
  const admin = await keyedPerson(["critical-admin"], "Carla Critical");
  const patch = await requestedPatch(request, "webdb");
  await configure(patch.system);
  await tickUpToStep6(request, admin, patch);
  await signIn(page, admin);
  await page.goto(`/patches/${patch.id}/deployment`);
  return { admin, patch, step: (n: number) => page.getByTestId(`step-${n}`) };
}

/** Ticks the given steps on the deployment page with what their forms hold now, each signed (X1). */
async function tickOnPage(page: Page, admin: TKeyedPerson, steps: number[]) {
  for (const n of steps) {
    await tickInBrowser(page, admin, n);
    await expect(page.getByTestId(`step-${n}`)).toHaveAttribute("data-status", "done");
  }
}

async function waitFor<T>(what: string, fn: () => T | null | undefined | false, ms = 45_000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${worker.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test("the admin uploads the tarball at step 7 and signs the list mail; gpg verifies it against the admin's key and the mirror holds the same bytes", async ({
      page,
      request,
    }) => {
      test.setTimeout(180_000);
      const { admin, patch, step } = await atStep7(page, request);

      // Step 7: the tarball uploaded in the browser, hashed by the portal.
      const name = `cacert-${viewport.width}-${randomBytes(3).toString("hex")}.tar.gz`;
      const bytes = randomBytes(300_000);
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      await step(7)
        .getByLabel("Upload the new tarball")
        .setInputFiles({ name, mimeType: "application/gzip", buffer: bytes });
      await expect(step(7).getByTestId("tarball-uploaded")).toContainText(sha256);
      await expect(step(7).getByTestId("tarball-uploaded")).toContainText(name);
      await step(7).screenshot({ path: `${SHOTS}/step7-uploaded-${viewport.width}.png` });
      await noSeriousViolations(page);
      await tickOnPage(page, admin, [7, 8, 9]);

      // The worker steps wait for the admin's signature on the notification.
      await expect(step(10)).toHaveAttribute("data-status", "signature");
      const signer = page.getByTestId("notification-signer");
      await expect(signer).toBeVisible();
      await page.screenshot({
        path: `${SHOTS}/notification-to-sign-${viewport.width}.png`,
        fullPage: true,
      });
      await noSeriousViolations(page);

      // The same bytes the API hands out are what the dialog shows and signs.
      const api = await request.get(`/api/v1/patches/${patch.id}/deployment/notification`, {
        headers: auth(admin),
      });
      expect(api.status()).toBe(200);
      const part = await api.text();
      expect(part).toMatch(/^Content-Type: text\/plain; charset=utf-8\r\n/);
      expect(part).not.toMatch(/(^|[^\r])\n/);
      expect(part.replace(/=\r\n/g, "")).toContain(`SHA-256 ${sha256}`);

      await signer.getByRole("button", { name: "Sign the notification" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("button", { name: "Get statement" }).click();
      await expect(dialog.getByTestId("statement")).toContainText(
        "Content-Transfer-Encoding: quoted-printable",
      );
      await dialog.getByLabel("Private key file (armored)").setInputFiles(admin.keyFile);
      await dialog.getByLabel("Passphrase (stays in this browser)").fill(admin.passphrase);
      await page.screenshot({ path: `${SHOTS}/notification-dialog-${viewport.width}.png` });
      await noSeriousViolations(page);
      await dialog.getByRole("button", { name: "Sign and submit" }).click();
      await expect(dialog.getByRole("status")).toContainText("Signed and recorded");
      await dialog.getByRole("button", { name: "Close", exact: true }).last().click();

      // The worker sends the admin's PGP/MIME mail to the list; stock gpg verifies it with the admin's key.
      const mail = await waitFor("the list mail", () =>
        smtp.messages.find((m) => m.to.includes(LIST) && m.raw.includes(`Patch #${patch.number} `)),
      );
      const { signed, signature, contentType } = splitSigned(mail.raw);
      expect(contentType).toMatch(/^multipart\/signed;.*protocol="application\/pgp-signature"/);
      expect(signed).toBe(part);
      const publicKey = (await openpgp.readPrivateKey({ armoredKey: admin.privateKey }))
        .toPublic()
        .armor();
      expect(gpgVerifyDetached(publicKey, signed, signature)).toContain(
        `[GNUPG:] VALIDSIG ${admin.fingerprint}`,
      );

      // Step 13: exactly the uploaded bytes on the test server, under the recorded name.
      const mirrored = path.join(sftp.root, "test1", name);
      await waitFor("the mirrored tarball", () => existsSync(mirrored));
      await waitFor("the whole tarball", () => readFileSync(mirrored).equals(bytes));
      const reply = await waitFor("the reply to the assessment team", () =>
        smtp.messages.find((m) => m.to.includes(TEAM) && m.raw.includes(`Patch #${patch.number} `)),
      );
      expect(reply.raw.replace(/=\r\n/g, "")).toMatch(
        /It was installed on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\./,
      );

      await expect
        .poll(
          async () => {
            await page.reload();
            return step(13).getAttribute("data-status");
          },
          { timeout: 30_000 },
        )
        .toBe("done");
      await expect(step(10)).toHaveAttribute("data-status", "done");
      await page.screenshot({
        path: `${SHOTS}/deployment-complete-${viewport.width}.png`,
        fullPage: true,
      });
      await noSeriousViolations(page);
    });

    test("without an upload, step 7 takes the sha256sum line and the outbox page names the file the worker waits for", async ({
      page,
      request,
    }) => {
      test.setTimeout(120_000);
      const { admin, patch, step } = await atStep7(page, request);

      const name = `cacert-src-${randomBytes(3).toString("hex")}.tar.gz`;
      const sha256 = createHash("sha256").update(name).digest("hex");
      await step(7)
        .getByLabel("Its sha256sum line")
        .fill(`${sha256}  /home/cacert/www/tmp/${name}`);
      await expect(step(7)).toContainText(`Reads as ${name}`);
      await tickOnPage(page, admin, [7, 8, 9]);

      // Signed over the API, as with gpg: GET the part, sign it, POST the signature.
      const part = await (
        await request.get(`/api/v1/patches/${patch.id}/deployment/notification`, {
          headers: auth(admin),
        })
      ).text();
      const key = await openpgp.decryptKey({
        privateKey: await openpgp.readPrivateKey({ armoredKey: admin.privateKey }),
        passphrase: admin.passphrase,
      });
      const bad = await request.post(`/api/v1/patches/${patch.id}/deployment/notification`, {
        headers: auth(admin),
        data: {
          signature: await openpgp.sign({
            message: await openpgp.createMessage({ text: part.replace(/\r\n/g, "\n") + "!" }),
            signingKeys: key,
            detached: true,
          }),
        },
      });
      expect(bad.status()).toBe(422);
      const good = await request.post(`/api/v1/patches/${patch.id}/deployment/notification`, {
        headers: auth(admin),
        data: {
          signature: await openpgp.sign({
            message: await openpgp.createMessage({ binary: Buffer.from(part, "ascii") }),
            signingKeys: key,
            detached: true,
          }),
        },
      });
      expect(good.status(), await good.text()).toBe(201);

      const operator = createPerson(["admin"], { name: "Olga Operator" });
      await page.context().clearCookies();
      await signIn(page, operator);
      await page.goto("/admin/outbox");
      const waiting = page.getByTestId("waiting-tarballs");
      await expect(waiting).toContainText(name);
      await expect(waiting).toContainText(sha256);
      await expect(waiting).toContainText(path.join(process.env.TARBALL_DIR!, name));
      await page.screenshot({
        path: `${SHOTS}/outbox-waiting-${viewport.width}.png`,
        fullPage: true,
      });
      await noSeriousViolations(page);
    });
  });
}
