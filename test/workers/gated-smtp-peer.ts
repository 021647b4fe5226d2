import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type TPeerMail = { raw: string; messageId: string | null; to: string[]; at: number };
export type THeld = TPeerMail & { accept(): void; refuse(): void };

const messageIdOf = (raw: string) => /^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? null;

/**
 * A real SMTP server whose answer to DATA the test controls. A message counts
 * as delivered only once the 250 went out: that is the moment an MTA takes
 * responsibility for it (RFC 5321 §4.1.1.4). `delayMs` slows every answer;
 * `holdNext()` keeps the next message's answer back until the test accepts
 * or refuses it, so a client can be killed in the middle of the effect.
 */
export async function startGatedSmtpPeer(opts: { delayMs?: number } = {}) {
  const delivered: TPeerMail[] = [];
  const refused: TPeerMail[] = [];
  const holds: ((held: THeld) => void)[] = [];

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    closeTimeout: 1_000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const mail: TPeerMail = {
          raw,
          messageId: messageIdOf(raw),
          to: session.envelope.rcptTo.map((r) => r.address),
          at: Date.now(),
        };
        let answered = false;
        const accept = () => {
          if (answered) return;
          answered = true;
          delivered.push({ ...mail, at: Date.now() });
          callback();
        };
        const refuse = () => {
          if (answered) return;
          answered = true;
          refused.push(mail);
          callback(Object.assign(new Error("transaction aborted"), { responseCode: 451 }));
        };
        const hold = holds.shift();
        if (hold) hold({ ...mail, accept, refuse });
        else if (opts.delayMs) setTimeout(accept, opts.delayMs);
        else accept();
      });
    },
  });
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    /** Messages answered with 250. */
    delivered,
    /** Messages whose DATA was answered with an error. */
    refused,
    /** Resolves when the next message's data is in, its answer held back. */
    holdNext(): Promise<THeld> {
      return new Promise((resolve) => holds.push(resolve));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
