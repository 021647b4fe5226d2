import {
  closeSync,
  fstatSync,
  type Stats,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import ssh2, { type ParsedKey } from "ssh2";
import { sshFingerprint } from "../workers/sftp/fingerprint";
import { ed25519KeyPair } from "./ssh-key-pair";

// ssh2 is CommonJS: Node's ESM loader (the demo runs this file) sees only some
// of its named exports, so the module object is taken whole.
const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = utils.sftp;

type TKeyPair = { private: string; public: string };

export type TSftpPeerOptions = {
  /** A directory to serve (kept on close); a fresh temporary one, removed on close, unless told. */
  root?: string;
  port?: number;
  /** Keys kept between runs (the demo); fresh ones unless told. */
  hostKey?: TKeyPair;
  clientKey?: TKeyPair;
};

/**
 * A real SFTP server for tests (ssh2's Server), storing files in a temporary
 * directory: what a test finds there is what was really uploaded. It accepts
 * one client key, and counts the uploads it received.
 */
export async function startSftpPeer(opts: TSftpPeerOptions = {}) {
  const root = opts.root
    ? path.resolve(opts.root)
    : mkdtempSync(path.join(tmpdir(), "patchgate-sftp-"));
  const hostKey = opts.hostKey ?? ed25519KeyPair();
  const clientKey = opts.clientKey ?? ed25519KeyPair();
  const allowed = utils.parseKey(clientKey.public) as ParsedKey;
  const hostParsed = utils.parseKey(hostKey.private) as ParsedKey;
  let uploads = 0;
  /** The remote path of each completed upload, in order. */
  const uploaded: string[] = [];

  const local = (remote: string) => {
    const p = path.join(root, path.posix.normalize(`/${remote}`));
    if (!p.startsWith(root)) throw new Error("outside root");
    return p;
  };
  const attrsOf = (s: Stats) => ({
    mode: s.mode,
    uid: s.uid,
    gid: s.gid,
    size: s.size,
    atime: Math.floor(s.atimeMs / 1000),
    mtime: Math.floor(s.mtimeMs / 1000),
  });

  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    client.on("error", () => {});
    client.on("authentication", (ctx) => {
      if (ctx.method !== "publickey") return ctx.reject(["publickey"]);
      const same =
        ctx.key.algo === allowed.type &&
        ctx.key.data.length === allowed.getPublicSSH().length &&
        timingSafeEqual(ctx.key.data, allowed.getPublicSSH());
      if (!same) return ctx.reject();
      if (
        ctx.signature &&
        ctx.blob &&
        allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true
      )
        return ctx.reject();
      ctx.accept();
    });
    client.on("ready", () => {
      client.on("session", (accept) => {
        const session = accept();
        session.on("sftp", (acceptSftp) => {
          const sftp = acceptSftp();
          const fds = new Map<number, { fd: number; writing: boolean; name: string }>();
          let next = 0;
          const handleOf = (h: Buffer) => (h.length === 4 ? fds.get(h.readUInt32BE(0)) : undefined);
          sftp.on("OPEN", (reqid, filename, flags) => {
            try {
              const writing = (flags & OPEN_MODE.WRITE) !== 0;
              const fd = openSync(local(filename), utils.sftp.flagsToString(flags) ?? "r");
              const h = Buffer.alloc(4);
              h.writeUInt32BE(next, 0);
              fds.set(next++, { fd, writing, name: filename });
              sftp.handle(reqid, h);
            } catch {
              sftp.status(reqid, STATUS_CODE.FAILURE);
            }
          });
          sftp.on("WRITE", (reqid, handle, offset, data) => {
            const f = handleOf(handle);
            if (!f) return sftp.status(reqid, STATUS_CODE.FAILURE);
            writeSync(f.fd, data, 0, data.length, offset);
            sftp.status(reqid, STATUS_CODE.OK);
          });
          sftp.on("READ", (reqid, handle, offset, length) => {
            const f = handleOf(handle);
            if (!f) return sftp.status(reqid, STATUS_CODE.FAILURE);
            const buf = Buffer.alloc(length);
            const n = readSync(f.fd, buf, 0, length, offset);
            if (n === 0) return sftp.status(reqid, STATUS_CODE.EOF);
            sftp.data(reqid, buf.subarray(0, n));
          });
          sftp.on("FSTAT", (reqid, handle) => {
            const f = handleOf(handle);
            if (!f) return sftp.status(reqid, STATUS_CODE.FAILURE);
            sftp.attrs(reqid, attrsOf(fstatSync(f.fd)));
          });
          const onStat = (reqid: number, p: string) => {
            try {
              sftp.attrs(reqid, attrsOf(statSync(local(p))));
            } catch {
              sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
            }
          };
          sftp.on("STAT", onStat);
          sftp.on("LSTAT", onStat);
          sftp.on("REALPATH", (reqid, p) =>
            sftp.name(reqid, [
              { filename: path.posix.normalize(`/${p}`), longname: "", attrs: {} as never },
            ]),
          );
          sftp.on("CLOSE", (reqid, handle) => {
            const f = handleOf(handle);
            if (!f) return sftp.status(reqid, STATUS_CODE.FAILURE);
            closeSync(f.fd);
            fds.delete(handle.readUInt32BE(0));
            if (f.writing) {
              uploads++;
              uploaded.push(f.name);
            }
            sftp.status(reqid, STATUS_CODE.OK);
          });
        });
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    root,
    port,
    hostFingerprint: sshFingerprint(hostParsed.getPublicSSH()),
    clientPrivateKey: clientKey.private,
    uploads: () => uploads,
    uploaded: () => [...uploaded],
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!opts.root) rmSync(root, { recursive: true, force: true });
    },
  };
}
