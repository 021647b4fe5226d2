// The HTTPS check's connection (S3): a TLS handshake with the tester's server,
// recording the certificate it presents and whether it is valid for the host
// and chains to the CA bundle given (default: the system's trust store).
// Only the handshake: no HTTP request is sent, so no redirect is ever followed.
// The caller decides whether the host may be contacted (the allow-list).
import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import * as tls from "node:tls";
import { certificateFacts, type TCertificateFacts } from "./certificate-facts";

export type TProbeInput = {
  url: string;
  /** PEM text; absent = the system's trust store. */
  caBundle?: string | null;
  timeoutMs: number;
};

export type TProbeResult = Partial<TCertificateFacts> & {
  /** False when nothing answered or the handshake failed: then no certificate facts. */
  presented: boolean;
  hostValid: boolean;
  chainValid: boolean;
  ok: boolean;
  /** Why not ok, in words; "" when ok. */
  reason: string;
};

export const SYSTEM_TRUST_STORE = "/etc/ssl/certs/ca-certificates.crt";

let systemStore: string | string[] | undefined;

/** The system's trust store: Debian's bundle file when present, else node's built-in roots. */
export function systemTrustStore(): string | string[] {
  systemStore ??= existsSync(SYSTEM_TRUST_STORE)
    ? readFileSync(SYSTEM_TRUST_STORE, "utf8")
    : [...tls.rootCertificates];
  return systemStore;
}

/** The host and port of an https URL (brackets of an IPv6 literal removed; port default 443). */
export function httpsTarget(url: string): { host: string; port: number } {
  const u = new URL(url);
  if (u.protocol !== "https:") throw new Error("only https URLs are checked");
  const host = u.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return { host, port: u.port ? Number(u.port) : 443 };
}

/** openssl's verify errors, as node reports them, in words. */
export function chainReason(code: string, notAfter?: Date, bundleGiven = true): string {
  const store = bundleGiven ? "the CA bundle given" : "the system's trust store";
  switch (code) {
    case "CERT_HAS_EXPIRED":
      return `the certificate expired on ${notAfter?.toISOString() ?? "(unknown)"}`;
    case "CERT_NOT_YET_VALID":
      return "the certificate is not valid yet";
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
      return `self-signed certificate, not in ${store}`;
    case "SELF_SIGNED_CERT_IN_CHAIN":
      return `the chain ends in a self-signed certificate that is not in ${store}`;
    case "UNABLE_TO_GET_ISSUER_CERT":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
      return `issuer not in ${store}`;
    case "CERT_SIGNATURE_FAILURE":
      return "the certificate's signature does not verify";
    case "CERT_REVOKED":
      return "the certificate is revoked";
    case "INVALID_CA":
      return "a certificate in the chain is not a CA";
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return "the certificate is not valid for this host";
    default:
      return `the chain does not verify (${code})`;
  }
}

type TSocketResult = { der: Uint8Array; peer: tls.PeerCertificate; authorizationError?: string };

function handshake(
  host: string,
  port: number,
  ca: string | string[],
  timeoutMs: number,
): Promise<TSocketResult> {
  return new Promise((resolve, reject) => {
    let done = false;
    const socket = tls.connect({
      host,
      port,
      // SNI only for names (RFC 6066 forbids IP literals there).
      ...(isIP(host) ? {} : { servername: host }),
      ca,
      rejectUnauthorized: false,
      // The host is judged apart (tls.checkServerIdentity below), so that `authorized` is the
      // chain's verdict alone: node otherwise folds a name mismatch into it.
      checkServerIdentity: () => undefined,
      // Nothing is sent after the handshake; ALPN names no protocol.
    });
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      f();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            Object.assign(new Error(`no TLS handshake within ${timeoutMs} ms`), {
              code: "TIMEOUT",
            }),
          ),
        ),
      timeoutMs,
    );
    socket.once("secureConnect", () => {
      const peer = socket.getPeerCertificate(true);
      if (!peer || !peer.raw) {
        finish(() => reject(new Error("the server presented no certificate")));
        return;
      }
      const authorizationError = socket.authorized
        ? undefined
        : String(
            (socket.authorizationError as unknown as { code?: string })?.code ??
              socket.authorizationError ??
              "UNKNOWN",
          );
      finish(() => resolve({ der: new Uint8Array(peer.raw), peer, authorizationError }));
    });
    // `on`, not `once`: a second error after the first (or after the timeout) must not go unheard.
    socket.on("error", (e) => finish(() => reject(e)));
  });
}

function failure(reason: string): TProbeResult {
  return { presented: false, hostValid: false, chainValid: false, ok: false, reason };
}

function connectReason(e: unknown, host: string, port: number): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case "ECONNREFUSED":
      return `nothing answered at ${host}:${port} (connection refused)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `${host} does not resolve`;
    case "ETIMEDOUT":
      return `no answer from ${host}:${port} (timed out)`;
    case "TIMEOUT":
      return err.message;
    default:
      return `the TLS handshake with ${host}:${port} failed: ${err.message ?? String(e)}`;
  }
}

/**
 * Connects to the URL's host and port, completes a TLS handshake (SNI = the host) and reports
 * the certificate presented. ok = valid for the host, chains to the bundle, and valid now.
 */
export async function probeHttps(input: TProbeInput, now = new Date()): Promise<TProbeResult> {
  let target: { host: string; port: number };
  try {
    target = httpsTarget(input.url);
  } catch (e) {
    return failure(e instanceof Error ? e.message : String(e));
  }
  const { host, port } = target;
  const ca = input.caBundle ? input.caBundle : systemTrustStore();
  let r: TSocketResult;
  try {
    r = await handshake(host, port, ca, input.timeoutMs);
  } catch (e) {
    return failure(connectReason(e, host, port));
  }
  const facts = certificateFacts(r.der);
  if (!facts) return failure("the server presented a certificate that could not be read");
  const identity = tls.checkServerIdentity(host, r.peer);
  const hostValid = identity === undefined;
  const chainValid = r.authorizationError === undefined;
  const current = facts.notBefore <= now && now <= facts.notAfter;
  const reasons: string[] = [];
  if (!hostValid)
    reasons.push(
      `the certificate is not valid for ${host} (it names ${facts.sans.join(", ") || facts.subject})`,
    );
  if (!chainValid)
    reasons.push(chainReason(r.authorizationError!, facts.notAfter, Boolean(input.caBundle)));
  if (
    !current &&
    !(r.authorizationError === "CERT_HAS_EXPIRED" || r.authorizationError === "CERT_NOT_YET_VALID")
  )
    reasons.push(
      now > facts.notAfter
        ? `the certificate expired on ${facts.notAfter.toISOString()}`
        : `the certificate is not valid before ${facts.notBefore.toISOString()}`,
    );
  return {
    ...facts,
    presented: true,
    hostValid,
    chainValid,
    ok: hostValid && chainValid && current,
    reason: reasons.join("; "),
  };
}
