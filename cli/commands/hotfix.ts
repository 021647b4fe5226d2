import { Command } from "commander";
import { CommandFailed, runCommand } from "../run-command";
import { portalClient, type TPortalClient } from "../client/portal-client";
import type { THotfixView } from "../../lib/server/hotfixes/hotfix-facts";

// H3, H4, H6: the hotfix commands an operator runs on a server, over the API
// with their token. The portal decides whether the hotfix may go on (or come
// off) the server; the command checks every file on disk before it changes
// anything, keeps the originals, and reports what it did.

type TStatus = {
  hotfix: THotfixView;
  server: { slug: string; role: string; product: string; version: string };
  state: string | null;
  mayApply: { ok: boolean; first?: boolean; reason?: string };
  mayUnapply: { ok: boolean; reason?: string };
};

const backupDir = async (root: string, name: string, given?: string) => {
  const path = await import("node:path");
  return given ? path.resolve(given) : path.join(root, ".patchgate-hotfixes", name);
};

async function resolveRoot(root: string): Promise<string> {
  const { realpath, stat } = await import("node:fs/promises");
  const real = await realpath(root).catch(() => {
    throw new CommandFailed(`--root ${root}: no such directory.`);
  });
  if (!(await stat(real)).isDirectory())
    throw new CommandFailed(`--root ${root}: not a directory.`);
  return real;
}

/** Runs the operator's restart command (it is theirs, on their server), keeping its output for the record. */
async function restart(command: string): Promise<{ restartExit: number; restartOutput: string }> {
  const { spawnSync } = await import("node:child_process");
  console.log(`restarting: ${command}`);
  const r = spawnSync("/bin/sh", ["-c", command], { encoding: "utf8", maxBuffer: 1024 * 1024 });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  if (output) process.stdout.write(output);
  return { restartExit: r.status ?? -1, restartOutput: output.slice(-64 * 1024) };
}

async function status(client: TPortalClient, name: string, server: string) {
  return client.json<TStatus>(
    "GET",
    `/hotfixes/${encodeURIComponent(name)}/servers/${encodeURIComponent(server)}`,
  );
}

type TApplyOptions = { server: string; root: string; restart: string; backupDir?: string };

async function applyCommand(name: string, opts: TApplyOptions): Promise<void> {
  const { Readable } = await import("node:stream");
  const { rm } = await import("node:fs/promises");
  const { createHash } = await import("node:crypto");
  const { readHotfix } = await import("../../lib/hotfix/read-hotfix");
  const disk = await import("../../lib/hotfix/install-root");
  const client = portalClient();
  const root = await resolveRoot(opts.root);

  const s = await status(client, name, opts.server);
  if (!s.mayApply.ok) throw new CommandFailed(`The portal refuses: ${s.mayApply.reason}`);
  const { hotfix } = s;
  const file = await client.bytes(`/hotfixes/${encodeURIComponent(name)}/file`);
  const sha256 = createHash("sha256").update(file.bytes).digest("hex");
  if (sha256 !== hotfix.sha256)
    throw new CommandFailed(
      `The downloaded hotfix has SHA-256 ${sha256}, not ${hotfix.sha256}: nothing was touched.`,
    );
  const contents = new Map<string, Buffer>();
  const { manifest } = await readHotfix(Readable.from([file.bytes]), {
    onFile: (p, b) => contents.set(p, b),
  });
  const report = (body: object) =>
    client.json<THotfixView>(
      "POST",
      `/hotfixes/${encodeURIComponent(name)}/servers/${encodeURIComponent(opts.server)}/applications`,
      body,
    );

  const mismatches = await disk.filesNotAsExpected(root, manifest.files, "before");
  if (mismatches.length) {
    const message = mismatches
      .map((m) => disk.mismatchMessage(root, m, hotfix.product, hotfix.version))
      .join("\n");
    await report({ outcome: "FAILED", error: message, restartCommand: opts.restart });
    throw new CommandFailed(message);
  }

  const backup = await backupDir(root, name, opts.backupDir);
  await rm(backup, { recursive: true, force: true });
  await disk.keepOriginals(root, backup, manifest.files);
  await disk.replaceFiles(root, manifest.files, contents);
  console.log(
    `replaced ${manifest.files.length} file(s) under ${root}; originals kept in ${backup}`,
  );
  const restarted = await restart(opts.restart);
  if (restarted.restartExit !== 0) {
    // A server that does not come back with the hotfix gets its own files back.
    await disk.restoreOriginals(root, backup, manifest.files);
    const again = await restart(opts.restart);
    const error = `The restart command exited ${restarted.restartExit}; the original files were restored (restart after restoring exited ${again.restartExit}).`;
    await report({ outcome: "FAILED", error, restartCommand: opts.restart, ...restarted });
    throw new CommandFailed(error);
  }
  await report({
    outcome: "APPLIED",
    restartCommand: opts.restart,
    ...restarted,
    files: await disk.currentHashes(root, manifest.files),
  });
  console.log(
    `applied ${name} to ${opts.server}. Verify it and sign hotfix-verify for ${opts.server} before the other servers follow.`,
  );
}

type TUnapplyOptions = { server: string; root: string; restart?: string; backupDir?: string };

async function unapplyCommand(name: string, opts: TUnapplyOptions): Promise<void> {
  const { rm } = await import("node:fs/promises");
  const disk = await import("../../lib/hotfix/install-root");
  const client = portalClient();
  const root = await resolveRoot(opts.root);
  const s = await status(client, name, opts.server);
  if (!s.mayUnapply.ok) throw new CommandFailed(`The portal refuses: ${s.mayUnapply.reason}`);
  const files = s.hotfix.files;
  const changed = await disk.filesNotAsExpected(root, files, "after");
  if (changed.length)
    throw new CommandFailed(
      changed
        .map(
          (m) =>
            `File ${root}/${m.path}: SHA-256 on disk ${m.actual ?? "(missing)"} is not what the hotfix put there (${m.expected}): it was changed since, so the hotfix cannot be unapplied. Nothing was touched.`,
        )
        .join("\n"),
    );
  const backup = await backupDir(root, name, opts.backupDir);
  await disk.restoreOriginals(root, backup, files);
  console.log(`restored ${files.length} file(s) under ${root}`);
  const restarted = opts.restart
    ? await restart(opts.restart)
    : { restartExit: null, restartOutput: "" };
  await client.json(
    "POST",
    `/hotfixes/${encodeURIComponent(name)}/servers/${encodeURIComponent(opts.server)}/unapply`,
    {
      restartCommand: opts.restart,
      ...restarted,
    },
  );
  await rm(backup, { recursive: true, force: true });
  console.log(
    `unapplied ${name} from ${opts.server}. Verify it and sign hotfix-verify for ${opts.server}.`,
  );
  if (restarted.restartExit !== null && restarted.restartExit !== 0)
    throw new CommandFailed(`The restart command exited ${restarted.restartExit}.`);
}

async function uploadCommand(file: string): Promise<void> {
  const { readFile } = await import("node:fs/promises");
  const path = await import("node:path");
  const h = await portalClient().upload<THotfixView>(
    "/hotfixes",
    "file",
    path.basename(file),
    await readFile(file),
  );
  console.log(
    `uploaded ${h.name} (${h.component}, ${h.issue}): ${h.files.length} file(s), sha256 ${h.sha256}`,
  );
  console.log("Its release is signed by a critical admin or assessor other than you.");
}

async function listCommand(): Promise<void> {
  for (const h of await portalClient().json<THotfixView[]>("GET", "/hotfixes")) {
    const where = h.applications.map((a) => `${a.server}:${a.state.toLowerCase()}`).join(", ");
    console.log(`${h.name}\t${h.state.toLowerCase()}\t${h.issue}\t${where || "applied nowhere"}`);
  }
}

async function deleteCommand(name: string): Promise<void> {
  await portalClient().json("DELETE", `/hotfixes/${encodeURIComponent(name)}`);
  console.log(`deleted ${name}`);
}

export function hotfixCommand(): Command {
  const hotfix = new Command("hotfix").description(
    "Vendor hotfixes, over the API (PATCHGATE_URL, PATCHGATE_TOKEN): upload, apply, unapply, delete",
  );
  hotfix
    .command("upload <file>")
    .description("Register a hotfix file (H1)")
    .action(runCommand(uploadCommand));
  hotfix
    .command("list")
    .description("Every hotfix and where it is applied")
    .action(runCommand(listCommand));
  hotfix
    .command("apply <name>")
    .description(
      "Apply a released hotfix to this server's install root, in the staged order (H3, H4, H6)",
    )
    .requiredOption("--server <slug>", "this server's slug in the portal")
    .requiredOption("--root <dir>", "the product's install root, e.g. /opt/sshmgr")
    .requiredOption(
      "--restart <command>",
      'the service restart, part of the record, e.g. "supervisorctl restart all"',
    )
    .option(
      "--backup-dir <dir>",
      "where the originals are kept (default <root>/.patchgate-hotfixes/<name>)",
    )
    .action(runCommand(applyCommand));
  hotfix
    .command("unapply <name>")
    .description(
      "Restore the files a hotfix replaced on this server and delete those it added (H4)",
    )
    .requiredOption("--server <slug>", "this server's slug in the portal")
    .requiredOption("--root <dir>", "the product's install root")
    .option("--restart <command>", "the service restart to run afterwards")
    .option("--backup-dir <dir>", "where apply kept the originals")
    .action(runCommand(unapplyCommand));
  hotfix
    .command("delete <name>")
    .description("Delete a hotfix applied nowhere (H5)")
    .action(runCommand(deleteCommand));
  return hotfix;
}
