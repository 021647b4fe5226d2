import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server in the test process. It keeps every message it accepted,
 * byte for byte; it can be stopped and started again on the same port to play
 * an SMTP outage.
 */
export type TSmtpPeerMessage = { raw: string; to: string[]; from: string; at: number };

export async function startSmtpPeer(
  port = 0,
  opts: {
    onMessage?: (m: TSmtpPeerMessage) => void;
    /**
     * Refuse (550) mail from any other sender. Test files run side by side, and an
     * outage test frees its port for a while: a port the OS hands out again may get
     * another file's retries, which must not count as this file's mail.
     */
    onlyFrom?: string;
  } = {},
) {
  const messages: TSmtpPeerMessage[] = [];
  let server: SMTPServer | null = null;
  let boundPort = port;

  const listen = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onMailFrom(address, _session, callback) {
        if (opts.onlyFrom && address.address !== opts.onlyFrom)
          return callback(
            Object.assign(new Error("not this test's sender"), { responseCode: 550 }),
          );
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const m = {
            raw: Buffer.concat(chunks).toString("utf8"),
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            at: Date.now(),
          };
          messages.push(m);
          // The 250 goes out only after the message is kept (a demo writes it to disk here).
          try {
            opts.onMessage?.(m);
          } catch (err) {
            return callback(err as Error);
          }
          callback();
        });
      },
    });
    server.on("error", () => {});
    await new Promise<void>((resolve) => server!.listen(boundPort, "127.0.0.1", () => resolve()));
    boundPort = (server.server.address() as AddressInfo).port;
  };
  await listen();

  return {
    messages,
    get url() {
      return `smtp://127.0.0.1:${boundPort}`;
    },
    async stop() {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    start: listen,
  };
}
