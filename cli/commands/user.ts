import { readFile } from "node:fs/promises";
import { Command, InvalidArgumentError, Option } from "commander";
import { ROLES, ROLE_LABEL, parseRole, type TRole } from "../../lib/domain/roles";
import { AppError } from "../../lib/errors";
import { runCommand } from "../run-command";

type TUserAddOptions = {
  email: string;
  name: string;
  role: TRole[];
  password?: string;
  passwordStdin?: boolean;
  pgpKey?: string;
  token?: boolean;
};

function collectRole(value: string, previous: TRole[] = []): TRole[] {
  const role = parseRole(value);
  if (!role) {
    throw new InvalidArgumentError(
      `Unknown role; use one of: ${ROLES.map((r) => ROLE_LABEL[r]).join(", ")}.`,
    );
  }
  return [...previous, role];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // `echo secret | patchgate ...` adds a newline that is not part of the password.
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

async function readKeyFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw new AppError("VALIDATION", `Cannot read the key file ${file}: ${(e as Error).message}`);
  }
}

async function addUser(opts: TUserAddOptions): Promise<void> {
  const password = opts.passwordStdin ? await readStdin() : opts.password;
  const pgpKey = opts.pgpKey ? await readKeyFile(opts.pgpKey) : undefined;
  // Loaded here, not at the top, so --help and argument errors stay fast and never load Prisma.
  const { createUser } = await import("../../lib/server/users/create-user");
  const { CLI_BOOTSTRAP } = await import("../../lib/auth/actor");

  const { user, token } = await createUser({
    actor: CLI_BOOTSTRAP,
    email: opts.email,
    name: opts.name,
    roles: opts.role,
    password,
    pgpKey,
    withToken: Boolean(opts.token),
  });

  const roles = [...new Set(opts.role)].map((r) => ROLE_LABEL[r]).join(", ");
  console.log(
    `created user ${user.email} (${user.id}) with roles ${roles}${pgpKey ? " and a PGP key" : ""}`,
  );
  if (token) {
    console.error("The API token below is shown only once; store it now.");
    // Alone on the last line, so scripts can take it with `tail -n 1`.
    console.log(token);
  }
}

async function revokeRoleCommand(opts: { email: string; role: TRole; reason: string }) {
  const { revokeRoleByEmail } = await import("../../lib/server/roles/revoke-role-by-email");
  const { CLI_BOOTSTRAP } = await import("../../lib/auth/actor");
  await revokeRoleByEmail({ actor: CLI_BOOTSTRAP, ...opts });
  console.log(`revoked ${ROLE_LABEL[opts.role]} from ${opts.email}`);
}

export function userCommand(): Command {
  const user = new Command("user").description("manage people");

  user
    .command("add")
    .description(
      "create a person with approved roles, and optionally a password, PGP key and API token",
    )
    .requiredOption("--email <email>", "email address (the login)")
    .requiredOption("--name <name>", "full name")
    .addOption(
      new Option("--role <role>", "role, e.g. developer or critical-admin; repeat for several")
        .argParser(collectRole)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option(
        "--password <password>",
        "password for the portal (visible in ps and shell history)",
      ).conflicts("passwordStdin"),
    )
    .option("--password-stdin", "read the password from standard input")
    .option("--pgp-key <file>", "armored OpenPGP public key file to register")
    .option("--token", "also create an API token and print it on the last line")
    .action(runCommand(addUser));

  user
    .command("revoke-role")
    .description(
      "revoke a person's role as the operator (the last admin or critical-admin is refused)",
    )
    .requiredOption("--email <email>", "the person's email address")
    .addOption(
      new Option("--role <role>", "the role, e.g. admin")
        .argParser((v: string) => collectRole(v)[0])
        .makeOptionMandatory(),
    )
    .requiredOption("--reason <reason>", "why, for the audit log")
    .action(runCommand(revokeRoleCommand));

  return user;
}
