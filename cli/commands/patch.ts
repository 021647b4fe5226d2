import { Command } from "commander";
import { ClientError, EXIT } from "../client/exit-codes";
import {
  numberArg,
  openClient,
  output,
  patchIdByNumber,
  runClient,
  type TJsonOption,
} from "../client/run-client";
import type { TPatchView } from "../../lib/server/patches/get-patch";

// `patchgate patch submit|show|diff`: a patch from the terminal, by the number
// people see (#12). Submitting uploads the diff as a draft; the author then
// signs it with `patchgate sign N --submit`, as on the page.

type TSubmitOptions = {
  system: string;
  title: string;
  summary?: string;
  bug: string;
  bugSummary: string;
} & TJsonOption;

type TCreated = { id: string; number: number; revision: number; diffSha256: string; state: string };

async function submitCommand(file: string, opts: TSubmitOptions): Promise<void> {
  const { readFile } = await import("node:fs/promises");
  const { basename } = await import("node:path");
  let diff: Buffer;
  try {
    diff = await readFile(file);
  } catch (e) {
    throw new ClientError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code}`, EXIT.USAGE);
  }
  const created = await (
    await openClient()
  ).form<TCreated>(
    "/patches",
    {
      system: opts.system,
      title: opts.title,
      summary: opts.summary ?? opts.title,
      bugId: opts.bug,
      bugSummary: opts.bugSummary,
    },
    [{ field: "diff", fileName: basename(file), bytes: diff }],
  );
  // The number alone on stdout, for N=$(patchgate patch submit ...); the rest is for people.
  output(opts, created, () => [String(created.number)]);
  if (!opts.json)
    console.error(
      `patch #${created.number} is a draft (revision ${created.revision}, diff sha256 ${created.diffSha256}); submit it: patchgate sign ${created.number} --submit`,
    );
}

type TView = Omit<TPatchView, "createdAt"> & Record<string, unknown>;

/** The patch in lines a person reads: state, gates, sign-offs of this revision, what they may do. */
export function describePatch(p: TView): string[] {
  const out = [
    `patch #${p.number} ${p.title}`,
    `state: ${p.state}${p.blocked ? " (blocked)" : ""}; system: ${p.system.slug}; author: ${p.author?.name ?? "-"}`,
    `bug: ${p.bugId} ${p.bugSummary}`,
    `revision ${p.revision}, diff sha256 ${p.diffSha256}`,
    `reviews ${p.gates.reviews.have}/${p.gates.reviews.need}, tests ${p.gates.tests.have}/${p.gates.tests.need}`,
  ];
  if (p.summary && p.summary !== p.title)
    out.push("", ...p.summary.split("\n").map((l) => `  ${l}`), "");
  for (const s of p.signoffs)
    out.push(
      `  ${s.kind} ${s.verdict} by ${s.signer?.name ?? "?"} (${s.fingerprint}), revision ${s.revision}${s.superseded ? ", superseded" : ""}${s.comment ? `: ${s.comment}` : ""}`,
    );
  if (p.withdrawal)
    out.push(`withdrawn by ${p.withdrawal.by?.name ?? "?"}: ${p.withdrawal.reason}`);
  if (p.deployment) out.push(`deployment: ${p.deployment.state} (${p.deployment.procedure})`);
  const may = Object.entries(p.may ?? {}).flatMap(([k, v]) =>
    v === true ? [k] : Array.isArray(v) && v.length ? [`${k} ${v.join("|").toLowerCase()}`] : [],
  );
  if (may.length) out.push(`you may: ${may.join(", ")}`);
  return out;
}

async function showCommand(n: string, opts: TJsonOption): Promise<void> {
  const client = await openClient();
  const id = await patchIdByNumber(client, numberArg(n));
  const p = await client.json<TView>("GET", `/patches/${encodeURIComponent(id)}`);
  output(opts, p, () => describePatch(p));
}

async function diffCommand(n: string, opts: { revision?: string } & TJsonOption): Promise<void> {
  const client = await openClient();
  const number = numberArg(n);
  const id = await patchIdByNumber(client, number);
  const revision = opts.revision ? numberArg(opts.revision, "revision") : undefined;
  const { bytes, headers } = await client.bytes(
    `/patches/${encodeURIComponent(id)}/diff${revision ? `?revision=${revision}` : ""}`,
  );
  if (opts.json)
    console.log(
      JSON.stringify(
        {
          number,
          revision: Number(headers.get("x-revision")),
          sha256: headers.get("x-diff-sha256"),
          diff: bytes.toString("utf8"),
        },
        null,
        2,
      ),
    );
  // The exact bytes (statements name their SHA-256): no decoding, no added newline.
  else process.stdout.write(bytes);
}

export function patchCommandOf(): Command {
  const patch = new Command("patch").description("Submit a patch, show one, print its diff");
  patch
    .command("submit <file>")
    .description(
      "Upload a unified diff as a new draft patch; prints its number (then: patchgate sign N --submit)",
    )
    .requiredOption("--system <slug>", "the target system")
    .requiredOption("--title <text>", "what the patch does")
    .option("--summary <text>", "the longer description (default: the title)")
    .requiredOption("--bug <id>", "the bug it fixes")
    .requiredOption(
      "--bug-summary <text>",
      "the bug's short description (goes into the commit message)",
    )
    .option("--json", "print JSON")
    .action(runClient(submitCommand));
  patch
    .command("show <N>")
    .description("Patch #N: state, gates, sign-offs, what you may do")
    .option("--json", "print JSON (the API's answer)")
    .action(runClient(showCommand));
  patch
    .command("diff <N>")
    .description("Patch #N's diff, byte for byte (the current revision unless --revision)")
    .option("--revision <R>", "an earlier revision")
    .option("--json", "print JSON")
    .action(runClient(diffCommand));
  return patch;
}
