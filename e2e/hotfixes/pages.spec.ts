import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { expect, test } from "../fixtures/test";
import { Header, Pack, ReadEntry } from "tar";
import type { TE2EPerson } from "../fixtures/people";
import { createKeyedPerson, pageFor, signInBrowser } from "../patches/patch-helpers";

// H1, H3 in the browser: upload with progress, the release signed by a second
// person, the rollout picture, and a verification signed on the server's tile.

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const tag = randomBytes(3).toString("hex");
const sha = (b: string) => createHash("sha256").update(b).digest("hex");

async function hotfixFile(name: string): Promise<string> {
  const pack = new Pack({ portable: true });
  const chunks: Buffer[] = [];
  pack.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((r) => pack.on("end", () => r()));
  // A few MB that do not compress, so the upload takes long enough to show its progress.
  const big = randomBytes(3 * 1024 * 1024).toString("base64");
  const manifest = {
    product: "sshmgr",
    version: "3.0.0",
    files: [
      { path: "web/login.py", sha256Before: sha("old login"), sha256After: sha("new login") },
      { path: "web/static/bundle.js", sha256Before: null, sha256After: sha(big) },
    ],
  };
  for (const [p, body] of [
    ["hotfix.json", JSON.stringify(manifest)],
    ["files/web/login.py", "new login"],
    ["files/web/static/bundle.js", big],
  ]) {
    const e = new ReadEntry(
      new Header({ path: p, type: "File", size: Buffer.byteLength(body), mode: 0o644 }),
    );
    pack.add(e);
    e.end(Buffer.from(body));
  }
  pack.end();
  await done;
  const file = path.join(
    mkdtempSync(path.join(tmpdir(), "hf-")),
    `sshmgr-3.0.0-${name}_UKM-1291.gz`,
  );
  writeFileSync(file, gzipSync(Buffer.concat(chunks), { level: 1 }));
  return file;
}

function cli(who: TE2EPerson | null, baseURL: string, ...args: string[]) {
  const env = who
    ? { ...process.env, PATCHGATE_URL: baseURL, PATCHGATE_TOKEN: who.token }
    : process.env;
  const r = spawnSync(process.execPath, ["bin/patchgate.mjs", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env,
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

test("a hotfix is uploaded, released and verified in the browser, with its rollout drawn", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const cora = await createKeyedPerson(["critical_admin"], { name: "Cora Critical" });
  const ada = await createKeyedPerson(["assessor"], { name: "Ada Assessor" });
  const servers = [`km-fe1-${tag}`, `km-fe2-${tag}`, `km-be1-${tag}`, `km-be2-${tag}`];
  for (const slug of servers)
    cli(
      null,
      baseURL!,
      "server",
      "add",
      "--slug",
      slug,
      "--product",
      "sshmgr",
      "--version",
      "3.0.0",
      "--role",
      slug.includes("-fe") ? "frontend" : "backend",
    );

  const name = `hotfix_frontend_fix_login_${tag}`;
  const coraPage = await pageFor(browser, cora);
  await coraPage.goto("/hotfixes");
  await coraPage.getByLabel(/Hotfix file/).setInputFiles(await hotfixFile(name));
  await coraPage.getByRole("button", { name: "Upload hotfix" }).click();
  await expect(coraPage.getByRole("progressbar", { name: "Upload progress" })).toBeVisible();
  await coraPage.waitForURL(`**/hotfixes/${name}`);
  await expect(coraPage.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(coraPage.getByText("not released").first()).toBeVisible();
  await expect(coraPage.getByRole("button", { name: "Sign the release" })).toHaveCount(0);

  const adaPage = await pageFor(browser, ada);
  await adaPage.goto(`/hotfixes/${name}`);
  await signInBrowser(adaPage, ada, "Sign the release", {
    comment: "Vendor advisory UKM-1291 read.",
  });
  await expect(adaPage.getByText(`released by ${ada.email}`)).toBeVisible();

  // Applied on the first front end by its operator; the page shows who may go next.
  const root = mkdtempSync(path.join(tmpdir(), "opt-"));
  mkdirSync(path.join(root, "web"));
  writeFileSync(path.join(root, "web/login.py"), "old login");
  cli(
    cora,
    baseURL!,
    "hotfix",
    "apply",
    name,
    "--server",
    servers[0],
    "--root",
    root,
    "--restart",
    "true",
  );

  await coraPage.goto(`/hotfixes/${name}`);
  await expect(coraPage.getByTestId(`tile-${servers[0]}`)).toContainText("applied, not verified");
  await expect(coraPage.getByTestId(`tile-${servers[2]}`)).toContainText(
    `on ${servers[0]}, is not verified`,
  );
  await coraPage.setViewportSize({ width: 1280, height: 1000 });
  await coraPage.screenshot({
    path: "test-results/screens/hotfix-rollout-waiting.png",
    fullPage: true,
  });

  const tile = coraPage.getByTestId(`tile-${servers[0]}`);
  await tile.getByRole("button", { name: "Sign verification" }).click();
  const dialog = coraPage.getByRole("dialog");
  await dialog.getByLabel(/Connected to this server directly/).check();
  await dialog.getByRole("button", { name: "Get statement" }).click();
  await expect(dialog.getByTestId("statement")).toContainText("direct: yes");
  await dialog.getByLabel("Private key file (armored)").setInputFiles(cora.keyFile);
  await dialog.getByRole("button", { name: "Sign and submit" }).click();
  await expect(dialog.getByRole("status")).toContainText("Signed and recorded");
  await dialog.getByRole("button", { name: "Close", exact: true }).last().click();

  await expect(coraPage.getByTestId(`tile-${servers[0]}`)).toContainText("verified");
  for (const other of servers.slice(1))
    await expect(coraPage.getByTestId(`tile-${other}`)).toContainText("may go next");
  await coraPage.screenshot({
    path: "test-results/screens/hotfix-rollout-verified.png",
    fullPage: true,
  });
  await coraPage.setViewportSize({ width: 390, height: 900 });
  await coraPage.screenshot({
    path: "test-results/screens/hotfix-rollout-390.png",
    fullPage: true,
  });

  await adaPage.goto("/servers");
  await expect(adaPage.getByTestId(`server-${servers[0]}`)).toContainText(name);
  await expect(adaPage.getByRole("button", { name: "Add server" })).toHaveCount(0);
});
