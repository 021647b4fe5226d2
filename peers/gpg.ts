import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// Stock GnuPG 2.2 in a throwaway home: the tool a user would bring.
export function gpgHome() {
  const home = mkdtempSync(path.join(tmpdir(), "patchgate-gpg-"));
  const gpg = (args: string[], input?: string) =>
    execFileSync(
      "gpg",
      [
        "--homedir",
        home,
        "--batch",
        "--yes",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        ...args,
      ],
      {
        input,
        encoding: "utf8",
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
  return { home, gpg, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/**
 * `gpg --verify` of a detached signature over exact bytes, in a throwaway home
 * holding only `publicKey`: the check a mail client makes. Returns the
 * --status-fd lines (VALIDSIG names the key); throws on a bad signature.
 */
export function gpgVerifyDetached(publicKey: string, signed: string, signature: string): string {
  const g = gpgHome();
  try {
    g.gpg(["--import"], publicKey);
    writeFileSync(path.join(g.home, "signed"), signed, "latin1");
    writeFileSync(path.join(g.home, "signed.asc"), signature);
    return g.gpg([
      "--status-fd",
      "1",
      "--verify",
      path.join(g.home, "signed.asc"),
      path.join(g.home, "signed"),
    ]);
  } finally {
    g.cleanup();
  }
}
