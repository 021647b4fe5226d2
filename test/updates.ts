import { readFileSync } from "node:fs";
import { CLI_BOOTSTRAP, type TActor } from "../lib/auth/actor";
import { createInstallation } from "../lib/server/updates/installations";
import { trustCertificate } from "../lib/server/updates/certificates";
import { trustPgpKey } from "../lib/server/updates/pgp-keys";

// Installations for the update-package tests (issue 13), trusting what a corpus
// case's -CAfile holds, as an admin would upload it certificate by certificate.

let counter = 0;

/** The PEM certificates of a -CAfile, one by one. */
export function pemCertificates(file: string): Uint8Array[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g)].map(
    (m) => new Uint8Array(Buffer.from(m[0])),
  );
}

export async function makeInstallation(
  opts: {
    mode?: "automatic" | "semi-automatic" | "manual";
    enterprise?: boolean;
    trusted?: string;
    pgpKeys?: string[];
    actor?: TActor;
    slug?: string;
  } = {},
) {
  counter += 1;
  const actor = opts.actor ?? CLI_BOOTSTRAP;
  const slug = opts.slug ?? `os4x-${counter}-${Date.now().toString(36)}`;
  const installation = await createInstallation({
    actor,
    slug,
    name: `OS4X ${counter}`,
    product: "OS4X",
    mode: opts.mode ?? "manual",
    enterprise: opts.enterprise ?? false,
  });
  if (opts.trusted)
    for (const file of pemCertificates(opts.trusted)) await trustCertificate({ actor, slug, file });
  for (const key of opts.pgpKeys ?? [])
    await trustPgpKey({ actor, slug, file: new Uint8Array(Buffer.from(key)) });
  return installation;
}
