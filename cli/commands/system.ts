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
  console.log(`  procedure ${procedure}, ${system.reviewsRequired} reviews and ${system.testsRequired} tests required`);
}

export function systemCommand(): Command {
  const system = new Command("system").description("manage target systems");

  system
    .command("add")
    .description("register a target system and its approval policy")
    .requiredOption("--slug <slug>", "short name: lower-case letters, digits and dashes")
    .requiredOption("--name <name>", "display name")
    .addOption(new Option("--procedure <procedure>", "deployment procedure (default: webdb)").choices(Object.keys(PROCEDURES)))
    .addOption(new Option("--reviews <n>", "reviews required (default: 2)").argParser(integer))
    .addOption(new Option("--tests <n>", "tests required (default: 2)").argParser(integer))
    .action(runCommand(addSystemCommand));

  return system;
}
