import { z } from "zod";

// The transparency log's public endpoints (issue #16), read without a token:
// `patchgate verify --checkpoint --portal` and `patchgate log watch` run on any
// machine, as anyone. Only what a verifier needs; every answer is checked by
// the caller (signatures, proofs), so nothing here is trusted.

export class LogFetchError extends Error {
  override name = "LogFetchError";
}

const ZBase64Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, "a base64 SHA-256");
const ZConsistency = z.strictObject({
  from: z.number().int().min(0),
  to: z.number().int().min(0),
  proof: z.array(ZBase64Hash),
});

/** The portal's base URL, as a person writes it: trailing slashes and /api/v1 are dropped. */
export function portalBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LogFetchError(`${url} is not a URL (e.g. https://patchgate.example.org)`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    throw new LogFetchError(`${url} is not an http(s) URL`);
  return parsed.href.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
}

export function logClient(url: string) {
  const base = portalBase(url);

  async function get(path: string): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${base}/api/v1/log/${path}`, {
        redirect: "error",
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      throw new LogFetchError(
        `cannot reach the portal at ${base}: ${(e as Error).cause ?? (e as Error).message}`,
      );
    }
    if (!response.ok) {
      const text = await response.text();
      let message = text.slice(0, 300) || response.statusText;
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        // not JSON: the text says it
      }
      throw new LogFetchError(`GET /api/v1/log/${path}: ${response.status} ${message}`);
    }
    return response;
  }

  return {
    base,
    /** The latest checkpoint: the signed note's exact text. */
    checkpoint: async () => (await get("checkpoint")).text(),
    /** The note verifier key line (`<name>+<hash>+<key>`). */
    key: async () => (await (await get("key")).text()).trim(),
    /** The consistency proof between two tree sizes, its hashes decoded. */
    async consistency(from: number, to: number): Promise<Uint8Array[]> {
      const r = await get(`proof/consistency?from=${from}&to=${to}`);
      const parsed = ZConsistency.safeParse(await r.json().catch(() => undefined));
      if (!parsed.success || parsed.data.from !== from || parsed.data.to !== to)
        throw new LogFetchError(
          `GET /api/v1/log/proof/consistency?from=${from}&to=${to}: not a consistency proof from ${from} to ${to}`,
        );
      return parsed.data.proof.map((p) => new Uint8Array(Buffer.from(p, "base64")));
    },
  };
}
