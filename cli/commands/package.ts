import { Command } from "commander";
import { CommandFailed, runCommand } from "../run-command";
import { PortalError, portalClient } from "../client/portal-client";
import type { TPackageResult } from "../../lib/server/updates/package-facts";
import type { TPackageSummary, TPackageView } from "../../lib/server/updates/package-queries";

// U1, U2: update packages. Upload and re-verify over the API (PATCHGATE_URL and
// PATCHGATE_TOKEN) or as the operator on the database; `fetch` is the host's
// command and always goes through the API with a token: it writes a VERIFIED
// package's content and refuses a quarantined one with its reason.

const viaApi = () => Boolean(process.env.PATCHGATE_URL && process.env.PATCHGATE_TOKEN);

async function operator() {
  const { CLI_BOOTSTRAP } = await import("../../lib/auth/actor");
  return CLI_BOOTSTRAP;
}

async function readInput(file: string): Promise<Uint8Array> {
  const { readFile } = await import("node:fs/promises");
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CommandFailed(`${file}: ${err.code === "ENOENT" ? "no such file" : err.message}`);
  }
}

function printVerdict(r: TPackageResult): void {
  if (r.state === "VERIFIED") {
    const by = r.signer ? ` signed by ${r.signer.subject}, issued by ${r.signer.issuer}` : "";
    console.log(`package ${r.id}: VERIFIED,${by}`);
    console.log(`content sha256 ${r.contentSha256}`);
  } else {
    console.log(`package ${r.id}: QUARANTINED`);
    console.log(r.reason ?? "");
  }
}

async function uploadCommand(slug: string, file: string, opts: { signature?: string }) {
  const { basename } = await import("node:path");
  const data = await readInput(file);
  const signature = opts.signature ? await readInput(opts.signature) : undefined;
  let r: TPackageResult;
  if (viaApi()) {
    const files = [{ field: "package", fileName: basename(file), bytes: data }];
    if (signature && opts.signature)
      files.push({ field: "signature", fileName: basename(opts.signature), bytes: signature });
    r = (
      await portalClient().uploadFiles<TPackageResult>(
        `/installations/${encodeURIComponent(slug)}/packages`,
        files,
      )
    ).body;
  } else {
    const { receivePackage } = await import("../../lib/server/updates/receive-package");
    r = await receivePackage({
      actor: await operator(),
      slug,
      channel: "API",
      fileName: basename(file),
      data,
      signature,
    });
  }
  printVerdict(r);
}

async function verifyCommand(id: string): Promise<void> {
  let r: TPackageResult;
  if (viaApi())
    r = await portalClient().json<TPackageResult>(
      "POST",
      `/packages/${encodeURIComponent(id)}/verify`,
    );
  else {
    const { reverifyPackage } = await import("../../lib/server/updates/reverify-package");
    r = await reverifyPackage({ actor: await operator(), id });
  }
  printVerdict(r);
}

async function showCommand(id: string): Promise<void> {
  let p: TPackageView;
  if (viaApi())
    p = await portalClient().json<TPackageView>("GET", `/packages/${encodeURIComponent(id)}`);
  else {
    const { getPackage } = await import("../../lib/server/updates/package-queries");
    p = await getPackage({ actor: await operator(), id });
  }
  console.log(JSON.stringify(p, null, 2));
}

async function listCommand(slug: string): Promise<void> {
  let list: TPackageSummary[];
  if (viaApi())
    list = await portalClient().json<TPackageSummary[]>(
      "GET",
      `/installations/${encodeURIComponent(slug)}/packages`,
    );
  else {
    const { listPackages } = await import("../../lib/server/updates/package-queries");
    list = await listPackages({ actor: await operator(), slug });
  }
  for (const p of list)
    console.log(`${p.id}\t${p.state}\t${p.channel.toLowerCase()}\t${p.receivedAt}\t${p.fileName}`);
}

/** The host's download: a VERIFIED package's content, checked against its SHA-256, written whole or not at all. */
async function fetchCommand(id: string, opts: { output: string }): Promise<void> {
  const { createHash } = await import("node:crypto");
  const { rename, rm, writeFile } = await import("node:fs/promises");
  const { dirname, join, basename } = await import("node:path");
  const client = portalClient();
  let file: { bytes: Buffer; headers: Headers };
  try {
    file = await client.bytes(`/packages/${encodeURIComponent(id)}/content`);
  } catch (e) {
    if (e instanceof PortalError && e.status === 409)
      throw new CommandFailed(
        `package ${id} is quarantined; its content is not offered: ${e.message}`,
      );
    throw e;
  }
  const sha256 = createHash("sha256").update(file.bytes).digest("hex");
  const expected = file.headers.get("x-sha256");
  if (expected && expected !== sha256)
    throw new CommandFailed(
      `The downloaded content has SHA-256 ${sha256}, not ${expected}: nothing was written.`,
    );
  if (opts.output === "-") {
    process.stdout.write(file.bytes);
    return;
  }
  const partial = join(dirname(opts.output), `.${basename(opts.output)}.${process.pid}.part`);
  try {
    await writeFile(partial, file.bytes, { mode: 0o644 });
    await rename(partial, opts.output);
  } catch (e) {
    await rm(partial, { force: true });
    throw new CommandFailed(`${opts.output}: ${(e as Error).message}`);
  }
  console.log(`wrote ${file.bytes.length} bytes to ${opts.output} (sha256 ${sha256})`);
}

export function packageCommand(): Command {
  const pkg = new Command("package").description(
    "Signed update packages (U1, U2): upload, re-verify, fetch the verified content",
  );
  pkg
    .command("upload <slug> <file>")
    .description("Upload a package for an installation: kept, and verified or quarantined")
    .option("--signature <file>", "a detached signature (CMS or OpenPGP) over the file")
    .action(runCommand(uploadCommand));
  pkg
    .command("verify <id>")
    .description("Verify a kept package again with the installation's trust as it is now")
    .action(runCommand(verifyCommand));
  pkg
    .command("fetch <id>")
    .description(
      "Write a VERIFIED package's content (needs PATCHGATE_URL and PATCHGATE_TOKEN); a quarantined one is refused",
    )
    .requiredOption("-o, --output <file>", 'where to write it ("-" for standard output)')
    .action(runCommand(fetchCommand));
  pkg
    .command("show <id>")
    .description("One package as JSON: its verdicts and its update record")
    .action(runCommand(showCommand));
  pkg
    .command("list <slug>")
    .description("An installation's packages, newest first")
    .action(runCommand(listCommand));
  return pkg;
}
