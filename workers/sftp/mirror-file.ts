import { readFile } from "node:fs/promises";
import path from "node:path";
import { Client, type SFTPWrapper } from "ssh2";
import { sha256Hex } from "../../lib/crypto/hash";
import { PermanentError } from "../handlers/context";
import { sameFingerprint, sshFingerprint } from "./fingerprint";

export type TMirrorTarget = { url: string; hostKeySha256: string; privateKeyPath: string };
export type TMirrorResult = {
  server: string;
  remotePath: string;
  sha256: string;
  bytes: number;
  verified: true;
};

export function parseSftpUrl(raw: string) {
  const url = new URL(raw);
  if (url.protocol !== "sftp:" || !url.hostname || !url.username)
    throw new PermanentError(`mirror url must be sftp://user@host:port/path`);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 22,
    username: decodeURIComponent(url.username),
    dir: decodeURIComponent(url.pathname) || "/",
  };
}

function connect(
  target: TMirrorTarget,
  privateKey: Buffer,
  timeoutMs: number,
): Promise<{ client: Client; sftp: SFTPWrapper }> {
  const { host, port, username } = parseSftpUrl(target.url);
  return new Promise((resolve, reject) => {
    const client = new Client();
    let refused: string | null = null;
    client.on("ready", () => {
      client.sftp((err, sftp) => (err ? (client.end(), reject(err)) : resolve({ client, sftp })));
    });
    client.on("error", (err) => reject(refused ? new PermanentError(refused) : err));
    client.connect({
      host,
      port,
      username,
      privateKey,
      readyTimeout: timeoutMs,
      // ssh2 accepts any host key unless told otherwise: only the pinned one passes.
      hostVerifier: (key: Buffer) => {
        const seen = sshFingerprint(key);
        if (sameFingerprint(seen, target.hostKeySha256)) return true;
        refused = `host key of ${host}:${port} is ${seen}, not the pinned ${target.hostKeySha256}: refused`;
        return false;
      },
    });
  });
}

function put(sftp: SFTPWrapper, remote: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    sftp.writeFile(remote, data, (err) => (err ? reject(err) : resolve())),
  );
}

function get(sftp: SFTPWrapper, remote: string): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    sftp.readFile(remote, (err, data) => (err ? reject(err) : resolve(data))),
  );
}

/**
 * Uploads one file and reads it back: the hash is of what the server holds,
 * not of what we sent. With `bound` (P9), the local bytes must already have
 * the hash step 7 recorded, or nothing is uploaded, and the copy is stored
 * under the recorded name.
 */
export async function mirrorFile(
  target: TMirrorTarget,
  localFile: string,
  timeoutMs: number,
  bound?: { name: string; sha256: string },
): Promise<TMirrorResult> {
  const data = await readFile(localFile);
  const expected = bound?.sha256 ?? sha256Hex(data);
  const local = sha256Hex(data);
  if (local !== expected)
    throw new PermanentError(
      `${localFile} has SHA-256 ${local}, not the ${expected} recorded at step 7: not mirrored`,
    );
  const privateKey = await readFile(target.privateKeyPath).catch(() => {
    throw new PermanentError(
      `private key file for ${parseSftpUrl(target.url).host} cannot be read`,
    );
  });
  const { dir, host, port } = parseSftpUrl(target.url);
  const remotePath = path.posix.join(dir, bound?.name ?? path.basename(localFile));
  const { client, sftp } = await connect(target, privateKey, timeoutMs);
  try {
    await put(sftp, remotePath, data);
    const back = await get(sftp, remotePath);
    const actual = sha256Hex(back);
    if (actual !== expected)
      throw new Error(`sha256 on ${host} is ${actual}, expected ${expected}`);
    return {
      server: `${host}:${port}`,
      remotePath,
      sha256: actual,
      bytes: back.length,
      verified: true,
    };
  } finally {
    client.end();
  }
}
