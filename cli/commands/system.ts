import { Command, InvalidArgumentError, Option } from "commander";
import { runCommand } from "../run-command";

const PROCEDURES = { webdb: "WEBDB", "signing-server": "SIGNING_SERVER" } as const;
type TProcedureName = keyof typeof PROCEDURES;

type TSystemAddOptions = {
  slug: string;
  name: string;
  procedure?: TProcedureName;
  reviews?: number;
  tests?: number;
};

function integer(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError("Not a whole number.");
  return Number(value);
}

async function addSystemCommand(opts: TSystemAddOptions): Promise<void> {
  // Loaded here, not at the top, so --help and argument errors stay fast and never load Prisma.
  const { addSystem } = await import("../../lib/server/systems/add-system");
  const { CLI_BOOTSTRAP } = await import("../../lib/auth/actor");

  // Options left out stay undefined, so the use-case's defaults apply.
  const system = await addSystem({
    actor: CLI_BOOTSTRAP,
    slug: opts.slug,
    name: opts.name,
    procedure: opts.procedure && PROCEDURES[opts.procedure],
    reviewsRequired: opts.reviews,
    testsRequired: opts.tests,
  });

  const procedure = system.procedure === "WEBDB" ? "webdb" : "signing-server";
  console.log(`created system ${system.slug} (${system.id}): ${system.name}`);
  console.log(
    `  procedure ${procedure}, ${system.reviewsRequired} reviews and ${system.testsRequired} tests required`,
  );
}

type TSystemSetOptions = {
  systemLog?: string;
  assessmentTeam?: string;
  tracker?: "mantis" | "webhook";
  trackerUrl?: string;
  trackerSecretEnv?: string;
  listArchive?: string;
  mirror?: string;
  hostKey?: string;
  sshKey?: string;
};

async function setSystemCommand(slug: string, opts: TSystemSetOptions): Promise<void> {
  const { setSystem } = await import("../../lib/server/systems/set-system");
  const { CLI_BOOTSTRAP } = await import("../../lib/auth/actor");
  const { AppError } = await import("../../lib/errors");
  const mirrorParts = [opts.mirror, opts.hostKey, opts.sshKey].filter(Boolean).length;
  if (mirrorParts !== 0 && mirrorParts !== 3)
    throw new AppError("VALIDATION", "A mirror needs --mirror, --host-key and --ssh-key together.");
  const path = await import("node:path");
  const system = await setSystem({
    actor: CLI_BOOTSTRAP,
    slug,
    systemLogAddress: opts.systemLog,
    assessmentTeamAddress: opts.assessmentTeam,
    trackerKind: opts.tracker && (opts.tracker === "mantis" ? "MANTIS" : "WEBHOOK"),
    trackerUrl: opts.trackerUrl,
    trackerSecretEnv: opts.trackerSecretEnv,
    listArchiveUrl: opts.listArchive,
    mirror: opts.mirror
      ? {
          url: opts.mirror,
          hostKeySha256: opts.hostKey!,
          privateKeyPath: path.resolve(opts.sshKey!),
        }
      : undefined,
  });
  console.log(`updated system ${system.slug}`);
  console.log(
    `  system-log list ${system.systemLogAddress ?? "(none)"}, assessment team ${system.assessmentTeamAddress ?? "(none)"}`,
  );
  console.log(
    `  tracker ${system.trackerKind ?? "(none)"} ${system.trackerUrl ?? ""}${system.trackerSecretEnv ? ` (secret in $${system.trackerSecretEnv})` : ""}`,
  );
  if (system.listArchiveUrl) console.log(`  list archive ${system.listArchiveUrl}`);
  for (const m of system.mirrors) console.log(`  mirror ${m.url} host key ${m.hostKeySha256}`);
}

type TSystemPolicyOptions = { reviews: number; tests: number; reason: string };

async function setPolicyCommand(slug: string, opts: TSystemPolicyOptions): Promise<void> {
  const { setSystemPolicy } = await import("../../lib/server/systems/set-policy");
  const { CLI_BOOTSTRAP } = await import("../../lib/auth/actor");
  const r = await setSystemPolicy({
    actor: CLI_BOOTSTRAP,
    slug,
    reviewsRequired: opts.reviews,
    testsRequired: opts.tests,
    reason: opts.reason,
  });
  console.log(
    `policy of ${r.slug}: ${r.reviewsRequired} reviews and ${r.testsRequired} tests required (was ${r.from.reviewsRequired} and ${r.from.testsRequired})`,
  );
  console.log(`  ${r.patches} patch(es) not yet requested now count under it`);
}

export function systemCommand(): Command {
  const system = new Command("system").description("manage target systems");

  system
    .command("add")
    .description("register a target system and its approval policy")
    .requiredOption("--slug <slug>", "short name: lower-case letters, digits and dashes")
    .requiredOption("--name <name>", "display name")
    .addOption(
      new Option("--procedure <procedure>", "deployment procedure (default: webdb)").choices(
        Object.keys(PROCEDURES),
      ),
    )
    .addOption(
      new Option("--reviews <n>", "reviews required, at least 2 (default: 2)").argParser(integer),
    )
    .addOption(
      new Option("--tests <n>", "tests required, at least 2 (default: 2)").argParser(integer),
    )
    .action(runCommand(addSystemCommand));

  system
    .command("policy")
    .description(
      "change how many reviews and tests a system requires (at least 2 each); applies to patches not yet requested",
    )
    .argument("<slug>", "the system")
    .addOption(
      new Option("--reviews <n>", "reviews required (at least 2)")
        .argParser(integer)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option("--tests <n>", "tests required (at least 2)")
        .argParser(integer)
        .makeOptionMandatory(),
    )
    .requiredOption("--reason <text>", "why; it goes into the audit log")
    .action(runCommand(setPolicyCommand));

  system
    .command("set")
    .description(
      "configure a system's notifications, bug tracker and test-server mirrors (secrets by env var NAME only)",
    )
    .argument("<slug>", "the system")
    .option("--system-log <address>", "system-log mailing list (step 10)")
    .option("--assessment-team <address>", "assessment team address (step 12, failed applies)")
    .option(
      "--list-archive <url>",
      "web archive of the system-log list; {messageId} in it becomes the notification's Message-ID (step 11)",
    )
    .addOption(new Option("--tracker <kind>", "bug tracker kind").choices(["mantis", "webhook"]))
    .option("--tracker-url <url>", "MantisBT base URL or webhook URL")
    .option(
      "--tracker-secret-env <NAME>",
      "name of the env var holding the MantisBT token or webhook secret",
    )
    .option(
      "--mirror <url>",
      "test server: sftp://user@host:port/path (adds, or replaces the same URL)",
    )
    .option("--host-key <SHA256:...>", "the test server's pinned host key fingerprint")
    .option("--ssh-key <file>", "private key file the worker logs in with")
    .action(runCommand(setSystemCommand));

  return system;
}
