import { Command } from "commander";
import { ClientError, EXIT } from "../client/exit-codes";
import { PortalError, portalClient } from "../client/portal-client";
import { portalBase } from "../client/log-client";
import { writeConfig } from "../client/config";
import { askSecret } from "../client/prompt";
import { output, runClient, type TJsonOption } from "../client/run-client";

// `patchgate login --portal URL`: asks for an API token (without echo on a
// terminal, one line of stdin otherwise), checks it with GET /api/v1/me and
// keeps both in the config file, mode 0600. A token the portal refuses is not
// stored.

type TMe = {
  id: string;
  email: string;
  name: string;
  roles: string[];
  keys: { fingerprint: string }[];
};

async function loginCommand(opts: { portal: string } & TJsonOption): Promise<void> {
  let portal: string;
  try {
    portal = portalBase(opts.portal);
  } catch (e) {
    throw new ClientError(`--portal ${(e as Error).message}`, EXIT.USAGE);
  }
  const token = (
    await askSecret(`API token for ${portal} (create one on your profile page): `)
  )?.trim();
  if (!token) throw new ClientError("no token given: nothing was stored", EXIT.USAGE);
  let me: TMe;
  try {
    me = await portalClient({ PATCHGATE_URL: portal, PATCHGATE_TOKEN: token }).json<TMe>(
      "GET",
      "/me",
    );
  } catch (e) {
    if (e instanceof PortalError && e.status === 401)
      throw new ClientError(
        `${portal} does not accept this token: ${e.message} Nothing was stored.`,
        EXIT.AUTH,
        e.code,
      );
    throw e;
  }
  const file = await writeConfig({ portal, token });
  const user = {
    id: me.id,
    email: me.email,
    name: me.name,
    roles: me.roles,
    keys: me.keys.map((k) => k.fingerprint),
  };
  output(opts, { portal, config: file, user }, () => [
    `logged in to ${portal} as ${me.name} <${me.email}> (${me.roles.join(", ") || "no roles"})`,
    `token stored in ${file} (mode 0600)`,
    ...(me.keys.length
      ? [`signing keys registered: ${me.keys.map((k) => k.fingerprint).join(", ")}`]
      : ["no signing key registered yet: add one on your profile page before you sign"]),
  ]);
}

export function loginCommandOf(): Command {
  return new Command("login")
    .description(
      "Store a portal's URL and your API token (checked with /api/v1/me) in your config directory",
    )
    .requiredOption("--portal <url>", "the portal's base URL, e.g. https://patchgate.example.org")
    .option("--json", "print JSON")
    .action(runClient(loginCommand));
}
