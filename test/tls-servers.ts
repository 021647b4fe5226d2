// Local HTTPS servers for the HTTPS check (S3), with certificates made by openssl
// (test/update-corpus.ts): a CA, a leaf for localhost, an expired leaf, a
// self-signed leaf and a leaf for another host, each served on 127.0.0.1.
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { makeCa, makeSigner, openssl, type TCa, type TCertFiles } from "./update-corpus";

const DAY = 86_400_000;

export type TTlsCase = "valid" | "wrongHost" | "expired" | "selfSigned";

export type TTlsServers = {
  ca: TCa;
  certs: Record<TTlsCase, TCertFiles>;
  /** https://localhost:<port>/ of each case. */
  urls: Record<TTlsCase, string>;
  /** TLS connections and HTTP requests each server saw. */
  seen: { connections: number; requests: number };
  /** A TCP port that accepts and never answers (for timeouts), and one that refuses. */
  silentUrl: string;
  closedUrl: string;
  close: () => Promise<void>;
};

/** openssl x509 -fingerprint -sha256, as lowercase hex without colons. */
export function opensslFingerprint(cert: TCertFiles): string {
  const out = openssl(["x509", "-in", cert.certPath, "-noout", "-fingerprint", "-sha256"]);
  return /=([0-9A-F:]+)/.exec(out.toString())![1].replace(/:/g, "").toLowerCase();
}

// Whole seconds: X.509 times carry no milliseconds.
const at = (ms: number) => new Date(Math.floor((Date.now() + ms) / 1000) * 1000);

export async function startTlsServers(): Promise<TTlsServers> {
  const dir = mkdtempSync(path.join(tmpdir(), "pg-tls-"));
  const ca = makeCa({
    dir,
    name: "ca",
    subject: "CN=Certbot Test CA, O=Patchgate tests",
    notBefore: at(-10 * DAY),
    notAfter: at(3650 * DAY),
  });
  const leaf = (name: string, opts: Partial<Parameters<typeof makeSigner>[0]>) =>
    makeSigner({
      dir,
      name,
      subject: "CN=localhost, O=Certbot test",
      notBefore: at(-DAY),
      notAfter: at(90 * DAY),
      ca,
      extensions: "tls-localhost",
      ...opts,
    });
  const certs: Record<TTlsCase, TCertFiles> = {
    valid: leaf("valid", {}),
    wrongHost: leaf("wrong-host", { subject: "CN=other.example.org", extensions: "tls-other" }),
    expired: leaf("expired", { notBefore: at(-100 * DAY), notAfter: at(-10 * DAY) }),
    selfSigned: leaf("self-signed", { ca: undefined }),
  };
  const seen = { connections: 0, requests: 0 };
  const servers: (HttpsServer | TcpServer)[] = [];
  const listen = (s: HttpsServer | TcpServer): Promise<number> =>
    new Promise((resolve) => {
      servers.push(s);
      s.listen(0, "127.0.0.1", () => resolve((s.address() as AddressInfo).port));
    });
  const urls = {} as Record<TTlsCase, string>;
  for (const [name, cert] of Object.entries(certs) as [TTlsCase, TCertFiles][]) {
    const s = createHttpsServer(
      { key: readFileSync(cert.keyPath), cert: cert.pem },
      (_req, res) => {
        seen.requests += 1;
        res.end("hello");
      },
    );
    s.on("secureConnection", () => (seen.connections += 1));
    urls[name] = `https://localhost:${await listen(s)}/`;
  }
  const held: import("node:net").Socket[] = [];
  const silent = createTcpServer((socket) => held.push(socket));
  const silentUrl = `https://localhost:${await listen(silent)}/`;
  const closed = createTcpServer();
  const closedPort = await listen(closed);
  await new Promise((r) => closed.close(r));
  servers.pop();
  return {
    ca,
    certs,
    urls,
    seen,
    silentUrl,
    closedUrl: `https://localhost:${closedPort}/`,
    close: async () => {
      for (const s of held) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}
