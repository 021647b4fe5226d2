import { Command, Option } from "commander";
import { runCommand } from "../run-command";
import { portalClient } from "../client/portal-client";

type TServerAddOptions = {
  slug: string;
  product: string;
  version: string;
  role: string;
  name?: string;
};
type TServerView = {
  slug: string;
  name: string;
  role: string;
  product: string;
  version: string;
  hotfixes: { name: string; state: string }[];
};

// With PATCHGATE_URL and PATCHGATE_TOKEN set, the command acts over the API as
// the token's owner; otherwise as the operator, on the database directly.
const viaApi = () => Boolean(process.env.PATCHGATE_URL && process.env.PATCHGATE_TOKEN);

async function addServerCommand(opts: TServerAddOptions): Promise<void> {
  const input = {
    slug: opts.slug,
    product: opts.product,
    version: opts.version,
    role: opts.role,
    name: opts.name,
  };
  let server: TServerView;
  if (viaApi()) server = await portalClient().json<TServerView>("POST", "/servers", input);
  else {
    const { addServer } = await import("../../lib/server/hotfixes/servers");
    const { CLI_BOOTSTRAP } = await import("../../lib/auth/actor");
    server = await addServer({ actor: CLI_BOOTSTRAP, ...input });
  }
  console.log(`added server ${server.slug} (${server.role}): ${server.product} ${server.version}`);
}

async function listServersCommand(): Promise<void> {
  let servers: TServerView[];
  if (viaApi()) servers = await portalClient().json<TServerView[]>("GET", "/servers");
  else {
    const { listServers } = await import("../../lib/server/hotfixes/servers");
    const { CLI_BOOTSTRAP } = await import("../../lib/auth/actor");
    servers = await listServers({ actor: CLI_BOOTSTRAP });
  }
  for (const s of servers) {
    const hotfixes = s.hotfixes.map((h) => `${h.name} (${h.state.toLowerCase()})`).join(", ");
    console.log(`${s.slug}\t${s.role}\t${s.product} ${s.version}\t${hotfixes || "no hotfixes"}`);
  }
}

export function serverCommand(): Command {
  const server = new Command("server").description("The servers hotfixes are rolled out to (H2)");
  server
    .command("add")
    .description("Register a server with its role and the product version it runs")
    .requiredOption("--slug <slug>", "short unique name, e.g. km-fe1")
    .requiredOption("--product <product>", "the product it runs, e.g. sshmgr")
    .requiredOption("--version <x.y.z>", "the product's version")
    .addOption(
      new Option("--role <role>", "front end or back end")
        .choices(["frontend", "backend"])
        .makeOptionMandatory(),
    )
    .option("--name <name>", "a longer name (default: the slug)")
    .action(runCommand(addServerCommand));
  server
    .command("list")
    .description("Every server and the hotfixes applied on it")
    .action(runCommand(listServersCommand));
  return server;
}
