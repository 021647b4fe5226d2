import { Command, Option } from "commander";
import { CommandFailed, runCommand } from "../run-command";
import { portalClient } from "../client/portal-client";
import type {
  TCertificateEntry,
  TInstallationView,
  TPgpKeyEntry,
} from "../../lib/server/updates/installations";

// U1, U3–U5: the installations of a vendor-updated product, the certificates
// and vendor keys they trust, and their post-update event. With PATCHGATE_URL
// and PATCHGATE_TOKEN set, over the API as the token's owner; otherwise as the
// operator, on the database directly.

const viaApi = () => Boolean(process.env.PATCHGATE_URL && process.env.PATCHGATE_TOKEN);
const path = (slug: string) => `/installations/${encodeURIComponent(slug)}`;

async function operator() {
  const { CLI_BOOTSTRAP } = await import("../../lib/auth/actor");
  return CLI_BOOTSTRAP;
}

function describeMode(i: TInstallationView): string {
  return `${i.mode}${i.enterprise ? ", Enterprise" : ""}`;
}

type TAddOptions = {
  slug: string;
  name: string;
  product: string;
  mode: string;
  enterprise?: boolean;
};

async function addCommand(opts: TAddOptions): Promise<void> {
  const input = {
    slug: opts.slug,
    name: opts.name,
    product: opts.product,
    mode: opts.mode,
    enterprise: Boolean(opts.enterprise),
  };
  let i: TInstallationView;
  if (viaApi()) i = await portalClient().json<TInstallationView>("POST", "/installations", input);
  else {
    const { createInstallation } = await import("../../lib/server/updates/installations");
    i = await createInstallation({ actor: await operator(), ...input });
  }
  console.log(`added installation ${i.slug} (${describeMode(i)}): ${i.name}, ${i.product}`);
  console.log(
    `Trust the vendor's certificate next: patchgate installation trust ${i.slug} --certificate <file>`,
  );
}

async function listCommand(): Promise<void> {
  let list: TInstallationView[];
  if (viaApi()) list = await portalClient().json<TInstallationView[]>("GET", "/installations");
  else {
    const { listInstallations } = await import("../../lib/server/updates/installations");
    list = await listInstallations({ actor: await operator() });
  }
  for (const i of list) {
    const ends = i.certificates.map((c) => `${c.notAfterText} (${c.expiresInDays} days)`);
    console.log(
      `${i.slug}\t${describeMode(i)}\t${i.name}\t${
        ends.length ? `certificates until ${ends.join(", ")}` : "no trusted certificate"
      }`,
    );
  }
}

async function showCommand(slug: string): Promise<void> {
  let i: TInstallationView;
  if (viaApi()) i = await portalClient().json<TInstallationView>("GET", path(slug));
  else {
    const { getInstallation } = await import("../../lib/server/updates/installations");
    i = await getInstallation({ actor: await operator(), slug });
  }
  console.log(JSON.stringify(i, null, 2));
}

async function readInput(file: string): Promise<Uint8Array> {
  const { readFile } = await import("node:fs/promises");
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new CommandFailed(
      `${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`,
    );
  }
}

type TTrustOptions = { certificate?: string; pgpKey?: string };

async function trustCommand(slug: string, opts: TTrustOptions): Promise<void> {
  if (!opts.certificate && !opts.pgpKey)
    throw new CommandFailed("Name what to trust: --certificate <file> or --pgp-key <file>.");
  const { basename } = await import("node:path");
  if (opts.certificate) {
    const file = await readInput(opts.certificate);
    let c: TCertificateEntry;
    let created: boolean;
    if (viaApi()) {
      const r = await portalClient().uploadFiles<TCertificateEntry>(`${path(slug)}/certificates`, [
        { field: "certificate", fileName: basename(opts.certificate), bytes: file },
      ]);
      c = r.body;
      created = r.status === 201;
    } else {
      const { trustCertificateWithOutcome } = await import("../../lib/server/updates/certificates");
      const r = await trustCertificateWithOutcome({ actor: await operator(), slug, file });
      c = r.certificate;
      created = r.created;
    }
    console.log(
      `${created ? "trusted" : "already trusted"} certificate ${c.subject} (issued by ${c.issuer}) for ${slug}`,
    );
    console.log(`sha256 ${c.sha256}`);
    console.log(
      `notAfter=${c.notAfterText} (${c.expiresInDays < 0 ? `expired ${-c.expiresInDays} days ago` : `${c.expiresInDays} days left`})`,
    );
  }
  if (opts.pgpKey) {
    const file = await readInput(opts.pgpKey);
    let k: TPgpKeyEntry;
    let created: boolean;
    if (viaApi()) {
      const r = await portalClient().uploadFiles<TPgpKeyEntry>(`${path(slug)}/pgp-keys`, [
        { field: "pgpKey", fileName: basename(opts.pgpKey), bytes: file },
      ]);
      k = r.body;
      created = r.status === 201;
    } else {
      const { trustPgpKeyWithOutcome } = await import("../../lib/server/updates/pgp-keys");
      const r = await trustPgpKeyWithOutcome({ actor: await operator(), slug, file });
      k = r.pgpKey;
      created = r.created;
    }
    console.log(
      `${created ? "trusted" : "already trusted"} vendor key ${k.fingerprint} (${k.userIds.join(", ") || "no user ID"}) for ${slug}`,
    );
  }
}

type TSetOptions = {
  postUpdateUrl?: string;
  postUpdateSecretEnv?: string;
  mode?: string;
  name?: string;
  enterprise?: boolean;
};

async function setCommand(slug: string, opts: TSetOptions): Promise<void> {
  const input = {
    postUpdateUrl: opts.postUpdateUrl,
    postUpdateSecretEnv: opts.postUpdateSecretEnv,
    mode: opts.mode,
    name: opts.name,
    enterprise: opts.enterprise,
  };
  let i: TInstallationView;
  if (viaApi()) i = await portalClient().json<TInstallationView>("PATCH", path(slug), input);
  else {
    const { updateInstallation } = await import("../../lib/server/updates/installations");
    i = await updateInstallation({ actor: await operator(), slug, ...input });
  }
  console.log(`updated installation ${i.slug} (${describeMode(i)}): ${i.name}`);
  console.log(
    i.postUpdateUrl
      ? `post-update event: ${i.postUpdateUrl}, signed with the secret in $${i.postUpdateSecretEnv ?? "(no secret set)"}`
      : "post-update event: none",
  );
}

const modeOption = (required: boolean) => {
  const o = new Option("--mode <mode>", "how updates are applied").choices([
    "automatic",
    "semi-automatic",
    "manual",
  ]);
  return required ? o.makeOptionMandatory() : o;
};

export function installationCommand(): Command {
  const installation = new Command("installation").description(
    "Installations of vendor-updated products, the certificates and keys they trust (U1–U5)",
  );
  installation
    .command("add")
    .description("Register an installation and how its updates are applied")
    .requiredOption(
      "--slug <slug>",
      "short unique name, also its drop-directory folder, e.g. os4x-prod",
    )
    .requiredOption("--name <name>", 'what admins call it, e.g. "OS4X production"')
    .requiredOption("--product <product>", "the vendor's product, e.g. OS4X")
    .addOption(modeOption(true))
    .option("--enterprise", "the Enterprise edition (web access client and plugins to update too)")
    .action(runCommand(addCommand));
  installation
    .command("list")
    .description("Every installation, its mode and when its trusted certificates end")
    .action(runCommand(listCommand));
  installation
    .command("show <slug>")
    .description("One installation as JSON, with its trusted certificates and vendor keys")
    .action(runCommand(showCommand));
  installation
    .command("trust <slug>")
    .description("Trust the vendor's certificate (PEM or DER) and/or OpenPGP public key")
    .option("--certificate <file>", "an X.509 certificate, e.g. c-works.softwareupdate.pub.cer")
    .option("--pgp-key <file>", "the vendor's OpenPGP public key (armored or binary)")
    .action(runCommand(trustCommand));
  installation
    .command("set <slug>")
    .description("Set the post-update event (U5), the mode or the name")
    .option(
      "--post-update-url <url>",
      'the webhook called after an update completes ("" clears it)',
    )
    .option(
      "--post-update-secret-env <NAME>",
      "the environment variable holding its HMAC secret (the name, never the secret)",
    )
    .addOption(modeOption(false))
    .option("--name <name>", "a new name")
    .option("--enterprise", "the Enterprise edition")
    .option("--no-enterprise", "not the Enterprise edition")
    .action(runCommand(setCommand));
  return installation;
}
