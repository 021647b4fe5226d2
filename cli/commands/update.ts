import { Command } from "commander";
import { CommandFailed, runCommand } from "../run-command";
import { portalClient } from "../client/portal-client";
import type { listUpdates, TPresentedUpdate } from "../../lib/server/release-updates/update-facts";

// S1–S3: stable release updates from the terminal, read-only: the records, one
// record's state, and its evidence bundle for `patchgate verify`. Over the API
// only, as the token's owner: signing stays with the person (the page or the
// API's statement and sign-off routes), never with a database login.

type TUpdateSummary = Awaited<ReturnType<typeof listUpdates>>[number];

function client() {
  if (!process.env.PATCHGATE_URL || !process.env.PATCHGATE_TOKEN)
    throw new CommandFailed(
      "error: patchgate update works over the API only: set PATCHGATE_URL (the portal's base URL) and PATCHGATE_TOKEN (an API token from your profile page).",
    );
  return portalClient();
}

const path = (id: string) => `/updates/${encodeURIComponent(id)}`;

async function listCommand(opts: { state?: string }): Promise<void> {
  const query = opts.state ? `?state=${encodeURIComponent(opts.state.toUpperCase())}` : "";
  const list = await client().json<TUpdateSummary[]>("GET", `/updates${query}`);
  if (!list.length) {
    console.log("no release updates");
    return;
  }
  for (const u of list)
    console.log(
      [
        `#${u.number}`,
        u.id,
        u.state,
        u.series.join(","),
        u.todos ? `${u.todos} TODO${u.todos === 1 ? "" : "s"}` : "-",
        u.tags.join(",") || "-",
        u.title,
      ].join("\t"),
    );
}

/** The record in lines a person reads: title, state, tags, TODOs left, reviews, major changes. */
export function describeUpdate(u: TPresentedUpdate): string[] {
  const out = [
    `update #${u.number} ${u.title}`,
    `id: ${u.id}`,
    `state: ${u.state}${u.revision ? `, revision ${u.revision}` : ", never submitted"}`,
    `system: ${u.system.slug}; bug: ${u.bugId}`,
    `packages: ${u.packages.join(", ")} ${u.version}`,
    `series: ${u.series.join(", ")}`,
    `tags: ${u.tags.join(", ") || "none (tags come once the record is approved)"}`,
  ];
  if (u.todos.length) {
    out.push(`TODOs left: ${u.todos.length}`);
    for (const t of u.todos) out.push(`  ${t.section}, line ${t.line}: ${t.text}`);
  } else out.push("TODOs left: none");
  const current = u.reviews.filter((r) => r.revision === u.revision);
  const voided = u.reviews.length - current.length;
  out.push(
    `reviews: ${current.length}${u.outcome ? ` (${u.outcome.approvals} of ${u.outcome.required} approvals)` : ""}${voided ? `; ${voided} on earlier revisions, void` : ""}`,
  );
  for (const r of current)
    out.push(`  ${r.verdict} by ${r.signer.name} (${r.fingerprint}) at ${r.at}`);
  for (const c of u.majorChanges.filter((x) => x.incompatible))
    out.push(
      `major change ${c.number} (not backwards compatible): ${c.acknowledged ? `acknowledged by ${c.acknowledged.by.name}` : "NOT acknowledged"}`,
    );
  if (u.outcome?.waitingFor.length) out.push(`waiting for: ${u.outcome.waitingFor.join("; ")}`);
  for (const v of u.verification)
    out.push(
      `${v.series}: ${v.verdict} (acme ${v.checks.acme.state}, apache ${v.checks.apache.state}, nginx ${v.checks.nginx.state}, smoke ${v.checks.smoke.state})${v.verifiedBy ? `, ${v.verifiedBy.verdict} signed by ${v.verifiedBy.signer.name}` : ""}`,
    );
  return out;
}

async function showCommand(id: string, opts: { json?: boolean }): Promise<void> {
  const u = await client().json<TPresentedUpdate>("GET", path(id));
  if (opts.json) console.log(JSON.stringify(u, null, 2));
  else for (const line of describeUpdate(u)) console.log(line);
}

/** The evidence bundle, checked against the SHA-256 the portal sent, written whole or not at all. */
async function evidenceCommand(id: string, opts: { output?: string }): Promise<void> {
  const { createHash } = await import("node:crypto");
  const { rename, rm, writeFile } = await import("node:fs/promises");
  const { basename, dirname, join } = await import("node:path");
  const file = await client().bytes(`${path(id)}/evidence`);
  const sha256 = createHash("sha256").update(file.bytes).digest("hex");
  const expected = file.headers.get("x-content-sha256");
  if (expected && expected !== sha256)
    throw new CommandFailed(
      `The downloaded bundle has SHA-256 ${sha256}, not ${expected}: nothing was written.`,
    );
  const named = /filename="([^"/\\]+)"/.exec(file.headers.get("content-disposition") ?? "")?.[1];
  const output = opts.output ?? named ?? `update-${id}-evidence.tar.gz`;
  if (output === "-") {
    process.stdout.write(file.bytes);
    return;
  }
  const partial = join(dirname(output), `.${basename(output)}.${process.pid}.part`);
  try {
    await writeFile(partial, file.bytes, { mode: 0o644 });
    await rename(partial, output);
  } catch (e) {
    await rm(partial, { force: true });
    throw new CommandFailed(`${output}: ${(e as Error).message}`);
  }
  console.log(`wrote ${file.bytes.length} bytes to ${output} (sha256 ${sha256})`);
  console.log(
    `check it: patchgate verify ${output} --portal-key <the key from GET /api/portal-key>`,
  );
}

export function updateCommand(): Command {
  const update = new Command("update").description(
    "Stable release updates (S1–S3), over the API (PATCHGATE_URL, PATCHGATE_TOKEN): list, show, export the evidence bundle",
  );
  update
    .command("list")
    .description("The records, newest first: number, id, state, series, TODOs left, tags, title")
    .option("--state <state>", "only DRAFT, SUBMITTED, APPROVED or REJECTED records")
    .action(runCommand(listCommand));
  update
    .command("show <id>")
    .description("One record: title, state, tags, TODOs left, reviews, major changes, series")
    .option("--json", "the record as GET /api/v1/updates/:id answers it")
    .action(runCommand(showCommand));
  update
    .command("evidence <id>")
    .description("Download the record's evidence bundle (.tar.gz) for `patchgate verify`")
    .option("-o, --output <file>", 'where to write it ("-" for standard output)')
    .action(runCommand(evidenceCommand));
  return update;
}
