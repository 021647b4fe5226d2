import { createHmac } from "node:crypto";
import { onceAfter } from "../effects";
import { request } from "./http";
import type { TTrackerUpdate } from "./mantis";

/** The signature a receiver recomputes: HMAC-SHA256(secret, timestamp + "." + body), hex. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export async function postWebhook(
  url: string,
  secret: string,
  u: TTrackerUpdate & { payload: Record<string, unknown> },
) {
  return onceAfter(`tracker:webhook:${u.deploymentId}`, u.outboxId, async () => {
    const body = JSON.stringify({
      event: "bug.solved",
      deliveryId: u.outboxId,
      bugId: u.bugId,
      status: "Solved?",
      note: u.note,
      ...u.payload,
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-patchgate-timestamp": timestamp,
        "x-patchgate-signature": webhookSignature(secret, timestamp, body),
        // The same id on every retry: a receiver can drop a repeated delivery.
        "x-patchgate-delivery": u.outboxId,
      },
      body,
      timeoutMs: u.timeoutMs,
    });
    return { tracker: "webhook", http: res.status, response: res.body.slice(0, 500) };
  });
}
