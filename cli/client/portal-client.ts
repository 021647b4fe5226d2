import { z } from "zod";

// The terminal client's link to a running portal: its base URL and a personal
// API token from the environment, JSON in and out, and the portal's own error
// message when it refuses. Commands that act as a person go through here;
// operator commands talk to the database instead.

const ZClientEnv = z.object({
  PATCHGATE_URL: z
    .string({
      error: "PATCHGATE_URL: set it to the portal's base URL, e.g. https://patchgate.example.org",
    })
    .url("PATCHGATE_URL: the portal's base URL, e.g. https://patchgate.example.org")
    .transform((u) => u.replace(/\/+$/, "").replace(/\/api\/v1$/, "")),
  PATCHGATE_TOKEN: z
    .string({ error: "PATCHGATE_TOKEN: set it to an API token from your profile page" })
    .min(1, "PATCHGATE_TOKEN: set it to an API token from your profile page"),
});

export class PortalError extends Error {
  override name = "PortalError";
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

export type TPortalClient = ReturnType<typeof portalClient>;

export function portalClient(env: Record<string, string | undefined> = process.env) {
  const parsed = ZClientEnv.safeParse(env);
  if (!parsed.success)
    throw new PortalError(parsed.error.issues.map((i) => i.message).join("; "), 0);
  const { PATCHGATE_URL: base, PATCHGATE_TOKEN: token } = parsed.data;

  async function send(method: string, path: string, body?: BodyInit, type?: string) {
    let response: Response;
    try {
      response = await fetch(`${base}/api/v1${path}`, {
        method,
        body,
        redirect: "error",
        headers: { authorization: `Bearer ${token}`, ...(type ? { "content-type": type } : {}) },
      });
    } catch (e) {
      throw new PortalError(
        `cannot reach the portal at ${base}: ${(e as Error).cause ?? (e as Error).message}`,
        0,
      );
    }
    if (!response.ok) {
      const text = await response.text();
      let message = text.slice(0, 500) || response.statusText;
      let code: string | undefined;
      try {
        const err = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
        message = err?.message ?? message;
        code = err?.code;
      } catch {
        // not JSON: the text itself says it
      }
      throw new PortalError(message, response.status, code);
    }
    return response;
  }

  type TFile = { field: string; fileName: string; bytes: Uint8Array };
  const sendJson = (method: string, path: string, body?: unknown) =>
    send(
      method,
      path,
      body === undefined ? undefined : JSON.stringify(body),
      body === undefined ? undefined : "application/json",
    );
  /** One multipart POST of text fields and files. */
  const sendForm = (path: string, fields: Record<string, string>, files: TFile[]) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    for (const f of files) form.set(f.field, new File([Buffer.from(f.bytes)], f.fileName));
    return send("POST", path, form);
  };

  return {
    base,
    async json<T>(method: string, path: string, body?: unknown): Promise<T> {
      const r = await sendJson(method, path, body);
      return (r.status === 204 ? null : await r.json()) as T;
    },
    /** A text answer (a statement to sign) with its headers; the body as it came, byte for byte. */
    async text(
      method: string,
      path: string,
      body?: unknown,
    ): Promise<{ text: string; bytes: Buffer; headers: Headers }> {
      const r = await sendJson(method, path, body);
      const bytes = Buffer.from(await r.arrayBuffer());
      return { text: bytes.toString("utf8"), bytes, headers: r.headers };
    },
    /** A multipart form of text fields and files (a patch's submission). */
    async form<T>(path: string, fields: Record<string, string>, files: TFile[]): Promise<T> {
      return (await (await sendForm(path, fields, files)).json()) as T;
    },
    async bytes(path: string): Promise<{ bytes: Buffer; headers: Headers }> {
      const r = await send("GET", path);
      return { bytes: Buffer.from(await r.arrayBuffer()), headers: r.headers };
    },
    async upload<T>(path: string, field: string, fileName: string, bytes: Uint8Array): Promise<T> {
      return (await (await sendForm(path, {}, [{ field, fileName, bytes }])).json()) as T;
    },
    /** Several file fields in one multipart POST; the answer's status too (200 vs 201). */
    async uploadFiles<T>(path: string, files: TFile[]): Promise<{ status: number; body: T }> {
      const r = await sendForm(path, {}, files);
      return { status: r.status, body: (await r.json()) as T };
    },
  };
}
