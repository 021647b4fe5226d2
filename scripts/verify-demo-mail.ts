// Checks a mail the demo's SMTP server kept, the way a list member would:
// splits the PGP/MIME (RFC 3156) message into its signed part and signature,
// fetches the portal's public key from the portal, and lets GnuPG verify it in a
// throwaway keyring. Usage (docs/demo.md):
//   node --import tsx scripts/verify-demo-mail.ts .demo/mail/<file>.eml [--key-url URL | --key-file FILE] [--keep DIR]
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { gpgHome } from "../peers/gpg";
import { splitSigned } from "../peers/mime-parts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  // --key-file: an armored public key, e.g. the critical admin's for the list notification (P7).
  options: {
    "key-url": { type: "string" },
    "key-file": { type: "string" },
    keep: { type: "string" },
  },
});
if (positionals.length !== 1) {
  console.error(
    "usage: node --import tsx scripts/verify-demo-mail.ts <file.eml> [--key-url URL | --key-file FILE] [--keep DIR]",
  );
  process.exit(2);
}
const keyUrl =
  values["key-url"] ??
  new URL("/api/portal-key", process.env.PUBLIC_URL ?? "http://localhost:3000").toString();

async function main() {
  const raw = readFileSync(positionals[0], "utf8");
  const subject = /^Subject: (.*)$/im.exec(raw.replace(/\r?\n[ \t]+/g, " "))?.[1] ?? "";
  const { signed, signature, contentType } = splitSigned(raw);
  if (
    !/^multipart\/signed;/i.test(contentType) ||
    !/protocol="application\/pgp-signature"/i.test(contentType)
  ) {
    throw new Error(`not a PGP/MIME signed mail: Content-Type ${contentType}`);
  }
  let publicKey: string;
  let published = "";
  if (values["key-file"]) publicKey = readFileSync(values["key-file"], "utf8");
  else {
    const res = await fetch(keyUrl);
    if (!res.ok) throw new Error(`${keyUrl} answered ${res.status}: is the demo running?`);
    publicKey = await res.text();
    published = res.headers.get("x-key-fingerprint") ?? "";
  }

  const g = gpgHome();
  try {
    const signedFile = path.join(g.home, "signed-part.eml");
    const sigFile = path.join(g.home, "signature.asc");
    writeFileSync(signedFile, signed);
    writeFileSync(sigFile, signature);
    g.gpg(["--import"], publicKey);
    let status: string;
    try {
      status = g.gpg(["--status-fd", "1", "--verify", sigFile, signedFile]);
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      console.error(
        `BAD: gpg does not verify "${subject}"\n${err.stdout ?? ""}${err.stderr ?? ""}`,
      );
      process.exitCode = 1;
      return;
    }
    // VALIDSIG's last field is the primary key's fingerprint: it must be the key the portal publishes.
    const valid = /^\[GNUPG:\] VALIDSIG .* ([0-9A-F]{40})$/m.exec(status)?.[1];
    if (
      !/^\[GNUPG:\] GOODSIG /m.test(status) ||
      !valid ||
      (published && valid !== published.toUpperCase())
    ) {
      console.error(`BAD: unexpected gpg status for "${subject}"\n${status}`);
      process.exitCode = 1;
      return;
    }
    console.log(
      `OK: "${subject}" has a good signature by ${values["key-file"] ? `the key ${valid} (${values["key-file"]})` : `the portal key ${valid} (${keyUrl})`}`,
    );
    if (values.keep) {
      mkdirSync(values.keep, { recursive: true });
      for (const f of [signedFile, sigFile])
        copyFileSync(f, path.join(values.keep, path.basename(f)));
      writeFileSync(path.join(values.keep, "portal-key.asc"), publicKey);
      console.log(
        `signed part, signature and key kept in ${values.keep}: gpg --import portal-key.asc && gpg --verify signature.asc signed-part.eml`,
      );
    }
  } finally {
    g.cleanup();
  }
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
