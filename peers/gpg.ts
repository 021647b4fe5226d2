import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
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
