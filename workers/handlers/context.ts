import type { Logger } from "pino";
import type { TOutboxKind, TOutboxPayload } from "../../lib/jobs/outbox";

// What a handler needs from the outside world, passed in rather than read from
// the environment so tests can point it at their own peers.
export type THandlerCtx = {
  smtpUrl: string;
  mailFrom: string;
  publicUrl: string;
  /** Where the tarballs named at step 7 are found for mirroring (P9). */
  tarballDir?: string;
  /** Reads a secret by the NAME stored in the database (never the secret itself). */
  secret: (name: string) => string | undefined;
  log: Logger;
  /** Per-request timeout for trackers, SMTP and SFTP. */
  timeoutMs: number;
  /** The HTTPS check's connect-and-handshake timeout (HTTPS_CHECK_TIMEOUT_MS; default 10 s). */
  httpsCheckTimeoutMs?: number;
};

export type THandler<K extends TOutboxKind> = (
  ctx: THandlerCtx,
  outboxId: string,
  payload: TOutboxPayload<K>,
) => Promise<void>;

/** A failure that no retry can fix (missing configuration, a refused host key): fail at once. */
export class PermanentError extends Error {
  override name = "PermanentError";
}

/**
 * The effect cannot run yet because something else has to happen first (step
 * 11 waits for step 10's mail): not a failure. The job is put back with a delay
 * and spends no retry; the row shows what it waits for. (Not named
 * "WaitingError": BullMQ treats an error of that name as its own.)
 */
export class NotReadyError extends Error {
  override name = "NotReadyError";
  /** What the effect waits for, in words for the outbox page: "the notification (step 10) to be sent". */
  constructor(readonly waitingFor: string) {
    super(`waiting for ${waitingFor}`);
  }
}
