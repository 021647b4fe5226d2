import { findReceipt, updateReceipt, writeReceipt } from "../effects";
import type { THandlerCtx } from "../handlers/context";
import { smtpTransport } from "./transport";

export type TBuiltMail = {
  raw: string;
  messageId: string;
  envelope: { from: string; to: string[] };
};
export type TMailReceipt = TBuiltMail & {
  status: "prepared" | "sent";
  response?: string;
  sentAt?: string;
};

/**
 * Sends a mail once per key. The message is built and stored BEFORE sending,
 * so every retry sends the very same bytes (same Message-ID, same signature);
 * the "sent" mark is written after the server's 250. The one window left is a
 * crash between the 250 and that mark: the retry then resends the identical
 * message, which a list archive recognises by its Message-ID.
 */
export async function sendMailOnce(
  ctx: THandlerCtx,
  key: string,
  outboxId: string,
  build: () => Promise<TBuiltMail>,
): Promise<TMailReceipt> {
  let receipt = await findReceipt<TMailReceipt>(key);
  if (!receipt) {
    await writeReceipt(key, outboxId, { status: "prepared", ...(await build()) });
    receipt = (await findReceipt<TMailReceipt>(key))!;
  }
  if (receipt.status === "sent") return receipt;
  const info = await smtpTransport(ctx.smtpUrl, ctx.timeoutMs).sendMail({
    envelope: receipt.envelope,
    raw: receipt.raw,
  });
  const sent: TMailReceipt = {
    ...receipt,
    status: "sent",
    response: String(info.response ?? ""),
    sentAt: new Date().toISOString(),
  };
  await updateReceipt(key, sent);
  return sent;
}

export function domainOf(address: string): string {
  return address.split("@").pop() || "localhost";
}
