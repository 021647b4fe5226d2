import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac, timingSafeEqual } from "node:crypto";

export type TTrackerRequest = {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  problems: string[];
};

export type TTrackerPeerOptions = {
  mantisToken: string;
  webhookSecret: string;
  /** Where MantisBT's REST API is mounted ("/mantis" unless told). */
  mantisPath?: string;
  port?: number;
  /** Told of every recorded request with the status it was answered. */
  onResponse?: (r: TTrackerRequest, status: number) => void;
  /** When given, GET / answers this page (not recorded). */
  indexPage?: () => string;
};

/**
 * A local HTTP server playing MantisBT's REST API and a webhook receiver. It
 * checks each request against the shape MantisBT documents (or the webhook's
 * HMAC) and answers 400/401 when it does not match, recording what it saw.
 */
export async function startTrackerPeer(opts: TTrackerPeerOptions) {
  const requests: TTrackerRequest[] = [];
  const mantisPath = opts.mantisPath ?? "/mantis";
  const server = createServer((req, res) => {
    if (opts.indexPage && req.method === "GET" && req.url === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(opts.indexPage());
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const problems: string[] = [];
      const record = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
        problems,
      };
      requests.push(record);
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body);
      } catch {
        problems.push("body is not JSON");
      }
      if (!String(req.headers["content-type"] ?? "").startsWith("application/json"))
        problems.push("content-type is not application/json");

      const status = (code: number, payload: unknown) => {
        res.writeHead(code, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
        opts.onResponse?.(record, code);
      };
      const mantisApi = mantisPath.replace(/\/+$/, "") + "/api/rest/issues/";
      if (record.url.startsWith(mantisApi)) {
        if (req.headers.authorization !== opts.mantisToken)
          return status(401, { message: "API token not found" });
        const issue = /^(\d+)(\/notes)?$/.exec(record.url.slice(mantisApi.length));
        if (!issue) return status(404, { message: "not found" });
        if (req.method === "PATCH" && !issue[2]) {
          const name = (json.status as { name?: unknown } | undefined)?.name;
          if (typeof name !== "string") problems.push("PATCH issue without status.name");
          if (problems.length) return status(400, { message: problems.join("; ") });
          return status(200, { issues: [{ id: Number(issue[1]), status: { id: 80, name } }] });
        }
        if (req.method === "POST" && issue[2]) {
          if (typeof json.text !== "string" || !json.text) problems.push("note without text");
          const view = (json.view_state as { name?: unknown } | undefined)?.name;
          if (view !== undefined && view !== "public" && view !== "private")
            problems.push("bad view_state");
          if (problems.length) return status(400, { message: problems.join("; ") });
          return status(201, { note: { id: requests.length, text: json.text } });
        }
        return status(405, { message: "method not allowed" });
      }
      if (record.url === "/webhook") {
        const ts = String(req.headers["x-patchgate-timestamp"] ?? "");
        const sig = Buffer.from(String(req.headers["x-patchgate-signature"] ?? ""));
        const want = Buffer.from(
          `sha256=${createHmac("sha256", opts.webhookSecret).update(`${ts}.${body}`).digest("hex")}`,
        );
        if (sig.length !== want.length || !timingSafeEqual(sig, want))
          problems.push("bad signature");
        if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) problems.push("stale timestamp");
        if (problems.length) return status(401, { message: problems.join("; ") });
        return status(200, { ok: true });
      }
      if (record.url === "/redirect") {
        res.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" });
        opts.onResponse?.(record, 302);
        return res.end();
      }
      status(404, { message: "not found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    requests,
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
