import { createServer, type IncomingMessage, type Server } from "node:http";
import { readdirSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

// The portal's /api/v1 route handlers (app/api/v1/**/route.ts, the very modules
// Next serves) behind a plain HTTP server, for integration tests of clients
// such as the CLI without a Next build. Routing follows the folders: [param]
// matches one path segment and arrives as Next passes it, in `params`.

const V1 = fileURLToPath(new URL("../app/api/v1", import.meta.url));

type TRoute = { pattern: RegExp; names: string[]; file: string; specificity: number };

function routes(): TRoute[] {
  return readdirSync(V1, { recursive: true, encoding: "utf8" })
    .filter((f) => path.basename(f) === "route.ts")
    .map((f) => {
      const segs = path
        .dirname(f)
        .split(path.sep)
        .filter((s) => s !== ".");
      const names: string[] = [];
      const source = segs
        .map((s) => {
          const m = /^\[(\w+)\]$/.exec(s);
          if (!m) return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          names.push(m[1]);
          return "([^/]+)";
        })
        .join("/");
      return {
        pattern: new RegExp(`^/api/v1${source ? `/${source}` : ""}/?$`),
        names,
        file: path.join(V1, f),
        specificity: segs.length * 10 - names.length,
      };
    })
    .sort((a, b) => b.specificity - a.specificity);
}

function toRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", base), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // @ts-expect-error: Node's fetch needs duplex for a streamed body; the DOM types lack it.
    duplex: "half",
  });
}

export async function startApiServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const table = routes();
  let base = "";
  const server: Server = createServer((req, res) => {
    void (async () => {
      const pathname = new URL(req.url ?? "/", "http://x").pathname;
      const route = table.find((r) => r.pattern.test(pathname));
      if (!route) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "NOT_FOUND", message: "no such route" } }));
        return;
      }
      const values = route.pattern.exec(pathname)!.slice(1).map(decodeURIComponent);
      const params = Object.fromEntries(route.names.map((n, i) => [n, values[i]]));
      const mod = (await import(route.file)) as Record<
        string,
        (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>
      >;
      const handler = mod[req.method ?? "GET"];
      if (!handler) {
        res.writeHead(405).end();
        return;
      }
      const response = await handler(toRequest(req, base), { params: Promise.resolve(params) });
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((e: Error) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(e.stack ?? e.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  base = `http://127.0.0.1:${address.port}`;
  return {
    url: base,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
