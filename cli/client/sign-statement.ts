import { spawn, spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { askSecret } from "./prompt";
import { ClientError, EXIT } from "./exit-codes";

// The person's own signature over the statement's exact bytes: with their
// GnuPG (gpg-agent, pinentry and an OpenPGP smartcard all work, for gpg is
// theirs and runs as they configured it, GNUPGHOME included), or with a key
// file through openpgp.js. Never through a shell: gpg gets an argument array
// and the statement on stdin.

/** The terminal pinentry needs to know, and gpg cannot tell it from a stdin that is a pipe. */
function gpgTty(): string | undefined {
  if (process.env.GPG_TTY || !process.stdin.isTTY) return process.env.GPG_TTY;
  const r = spawnSync("tty", [], { stdio: ["inherit", "pipe", "ignore"], encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** `gpg --detach-sign --armor [--local-user ID]`: the armored detached signature gpg prints. */
export function signWithGpg(statement: Buffer, localUser?: string): Promise<string> {
  const args = ["--detach-sign", "--armor", ...(localUser ? ["--local-user", localUser] : [])];
  const tty = gpgTty();
  return new Promise((resolve, reject) => {
    const child = spawn("gpg", args, {
      env: { ...process.env, ...(tty ? { GPG_TTY: tty } : {}) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", (e) =>
      reject(
        new ClientError(
          `cannot run gpg: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "it is not installed (or not on PATH); sign with --key FILE instead" : e.message}`,
        ),
      ),
    );
    child.on("close", (code) => {
      if (code === 0 && out.includes("-----BEGIN PGP SIGNATURE-----")) resolve(out);
      else
        reject(
          new ClientError(
            `gpg did not sign (exit ${code}); nothing was sent.${err.trim() ? `\n${err.trim()}` : ""}`,
          ),
        );
    });
    child.stdin.on("error", () => {
      // gpg exited before reading all of it: its exit status says why.
    });
    child.stdin.end(statement);
  });
}

/** openpgp.js with an armored private key file; a protected key's passphrase is asked for. */
export async function signWithKeyFile(statement: Buffer, keyFile: string): Promise<string> {
  let armored: string;
  try {
    armored = await readFile(keyFile, "utf8");
  } catch (e) {
    throw new ClientError(
      `cannot read ${keyFile}: ${(e as NodeJS.ErrnoException).code}`,
      EXIT.USAGE,
    );
  }
  const openpgp = await import("openpgp");
  let key;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armored });
  } catch (e) {
    throw new ClientError(
      `${keyFile} is not an armored private key: ${(e as Error).message}`,
      EXIT.USAGE,
    );
  }
  if (!key.isDecrypted()) {
    const passphrase = await askSecret(`Passphrase for ${key.getFingerprint().toUpperCase()}: `);
    if (!passphrase)
      throw new ClientError("no passphrase given: nothing was signed or sent", EXIT.DECLINED);
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase });
    } catch {
      throw new ClientError("wrong passphrase for the key: nothing was signed or sent");
    }
  }
  // Binary literal data: the signature covers exactly the bytes the portal issued.
  return (await openpgp.sign({
    message: await openpgp.createMessage({ binary: new Uint8Array(statement) }),
    signingKeys: key,
    detached: true,
    format: "armored",
  })) as string;
}
