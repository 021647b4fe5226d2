import { PermanentError, type THandlerCtx } from "../handlers/context";
import { addMantisNote } from "./mantis";
import { postWebhookEvent } from "./webhook";

type TSystemTracker = {
  slug: string;
  trackerKind: string | null;
  trackerUrl: string | null;
  trackerSecretEnv: string | null;
};

/** A system's bug tracker, with its secret read from the environment; a permanent error when either is missing. */
export function trackerOf(ctx: Pick<THandlerCtx, "secret">, system: TSystemTracker) {
  if (!system.trackerKind || !system.trackerUrl || !system.trackerSecretEnv)
    throw new PermanentError(
      `system ${system.slug} has no bug tracker configured (patchgate system set ${system.slug} --tracker ...)`,
    );
  const secret = ctx.secret(system.trackerSecretEnv);
  if (!secret)
    throw new PermanentError(
      `the environment variable ${system.trackerSecretEnv} (the tracker secret of ${system.slug}) is not set`,
    );
  return { kind: system.trackerKind, url: system.trackerUrl, secret };
}

/**
 * One comment on a bug, once per receipt key: a MantisBT note, or a signed
 * webhook event carrying the note and the fields a receiver files it by.
 */
export async function postTrackerNote(
  tracker: ReturnType<typeof trackerOf>,
  c: {
    receiptKey: string;
    outboxId: string;
    timeoutMs: number;
    bugId: string;
    note: string;
    event: string;
    fields: Record<string, unknown>;
  },
) {
  const base = { receiptKey: c.receiptKey, outboxId: c.outboxId, timeoutMs: c.timeoutMs };
  if (tracker.kind === "MANTIS")
    return addMantisNote(tracker.url, tracker.secret, { ...base, bugId: c.bugId, note: c.note });
  return postWebhookEvent(tracker.url, tracker.secret, {
    ...base,
    event: c.event,
    fields: c.fields,
  });
}
