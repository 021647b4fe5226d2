import { createHmac } from "node:crypto";
import { onceAfter } from "../effects";
import { request } from "./http";
import type { TTrackerUpdate } from "./mantis";

/** The signature a receiver recomputes: HMAC-SHA256(secret, timestamp + "." + body), hex. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export type TWebhookEvent = {
  /** The effect's receipt key: one delivery per key, whatever the retries. */
  receiptKey: string;
  outboxId: string;
  event: string;
  /** The body after `event` and `deliveryId`, in this order. */
  fields: Record<string, unknown>;
  timeoutMs: number;
};

/** POSTs one signed event, once per receipt key (S3's verification comment, step 11's bug). */
export async function postWebhookEvent(url: string, secret: string, e: TWebhookEvent) {
  return onceAfter(e.receiptKey, e.outboxId, async () => {
    const body = JSON.stringify({ event: e.event, deliveryId: e.outboxId, ...e.fields });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-patchgate-timestamp": timestamp,
        "x-patchgate-signature": webhookSignature(secret, timestamp, body),
        // The same id on every retry: a receiver can drop a repeated delivery.
        "x-patchgate-delivery": e.outboxId,
      },
      body,
      timeoutMs: e.timeoutMs,
    });
    return { tracker: "webhook", http: res.status, response: res.body.slice(0, 500) };
  });
}

export async function postWebhook(
  url: string,
  secret: string,
  u: TTrackerUpdate & { payload: Record<string, unknown> },
) {
  return postWebhookEvent(url, secret, {
    receiptKey: `tracker:webhook:${u.deploymentId}`,
    outboxId: u.outboxId,
    event: "bug.solved",
    fields: { bugId: u.bugId, status: "Solved?", note: u.note, ...u.payload },
    timeoutMs: u.timeoutMs,
  });
}
