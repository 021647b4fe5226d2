import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type TReceived = {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

/**
 * A real local HTTP bug tracker for the workers' tests: records every request
 * and answers as MantisBT's note endpoint does (201 with the note's id), which
 * the webhook receivers accept too.
 */
export async function startTrackerReceiver(noteId: number) {
  const received: TReceived[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ note: { id: noteId } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    received,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}
