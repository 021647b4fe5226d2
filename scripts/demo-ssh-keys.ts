// The demo SFTP server's host key and the worker's client key, made once and
// kept in <demo dir>/ssh/ so the fingerprint pinned by the seed stays valid
// across runs (a changed host key would rightly be refused by the worker).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import ssh2, { type ParsedKey } from "ssh2";
import { ed25519KeyPair } from "../peers/ssh-key-pair";
import { sshFingerprint } from "../workers/sftp/fingerprint";

const { utils } = ssh2; // CommonJS: not all of it is visible as named exports

type TKeyPair = { private: string; public: string };

function keyPair(dir: string, name: string): TKeyPair {
  const file = path.join(dir, name);
  if (!existsSync(file) || !existsSync(`${file}.pub`)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const k = ed25519KeyPair(`patchgate-demo-${name}`);
    writeFileSync(file, k.private, { mode: 0o600 });
    writeFileSync(`${file}.pub`, `${k.public}\n`);
  }
  return {
    private: readFileSync(file, "utf8"),
    public: readFileSync(`${file}.pub`, "utf8").trim(),
  };
}

export function demoSshKeys(sshDir: string) {
  const hostKey = keyPair(sshDir, "host_ed25519");
  const clientKey = keyPair(sshDir, "client_ed25519");
  const host = utils.parseKey(hostKey.private);
  if (host instanceof Error) throw host;
  return {
    hostKey,
    clientKey,
    clientKeyPath: path.join(sshDir, "client_ed25519"),
    hostFingerprint: sshFingerprint((host as ParsedKey).getPublicSSH()),
  };
}
