import { textPart } from "../../lib/mail/mime";
import type { THandlerCtx } from "../handlers/context";
import { keyLine, signedMail } from "./compose";
import { domainOf, type TBuiltMail } from "./send-once";

export function passwordLinkUrl(ctx: THandlerCtx, secret: string): string {
  return new URL(`/set-password/${secret}`, ctx.publicUrl).toString();
}

/** The mail to a person whose account an admin made: the link to choose their password. */
export async function passwordLinkMail(
  ctx: THandlerCtx,
  setup: { id: string; expiresAt: Date; user: { name: string; email: string } },
  secret: string,
): Promise<TBuiltMail> {
  const text = [
    `Hello ${setup.user.name},`,
    "",
    `an admin made you an account on Patchgate (${setup.user.email}).`,
    "Choose your password here; the link works once, until",
    `${setup.expiresAt.toISOString()}:`,
    "",
    passwordLinkUrl(ctx, secret),
    "",
    "If you did not expect this mail, ignore it: nobody can sign in until a password is chosen.",
    "",
    await keyLine(ctx),
    "",
  ].join("\n");
  return signedMail(
    ctx,
    {
      to: [setup.user.email],
      subject: "Your Patchgate account: choose your password",
      messageId: `<patchgate.password-link.${setup.id}@${domainOf(ctx.mailFrom)}>`,
    },
    textPart(text),
  );
}
