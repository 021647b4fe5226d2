import { z } from "zod";
import {
  assemble,
  multipart,
  rfc822Part,
  textPart,
  type TMessageHeaders,
} from "../../lib/mail/mime";
import { signedEntity, signPart } from "../../lib/mail/pgp-mime";
import { SERVICE } from "../../lib/domain/procedures";
import { formatInstant, installedAt } from "../../lib/domain/notification";
import { portalPublicKey, portalSigningKey } from "../../lib/server/portal-key/portal-key";
import { PermanentError, type THandlerCtx } from "../handlers/context";
import type { TLoadedDeployment } from "../handlers/load-deployment";
import { domainOf, type TBuiltMail } from "./send-once";

const ZAddress = z.string().email();

function address(value: string, what: string): string {
  const parsed = ZAddress.safeParse(value);
  if (!parsed.success) throw new PermanentError(`${what} is not a mail address`);
  return parsed.data;
}

export async function signedMail(
  ctx: THandlerCtx,
  h: Omit<TMessageHeaders, "from" | "date">,
  part: string,
): Promise<TBuiltMail> {
  const from = address(ctx.mailFrom, "MAIL_FROM");
  const to = h.to.map((t) => address(t, "recipient"));
  const signed = await signPart(part, await portalSigningKey());
  // User text (a patch title) never brings a line break into a header.
  const raw = assemble(
    {
      ...h,
      subject: h.subject.replace(/\s+/g, " "),
      to,
      from: `Patchgate <${from}>`,
      date: new Date(),
    },
    signed,
  );
  return { raw, messageId: h.messageId, envelope: { from, to } };
}

/** A display name as a quoted string when ASCII; otherwise bare, for header() to encode. */
function displayName(name: string): string {
  const clean = name
    .replace(/[\r\n"\\<>]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return /^[\x20-\x7e]*$/.test(clean) ? `"${clean}"` : clean;
}

export function messageId(ctx: THandlerCtx, what: string, deploymentId: string): string {
  return `<patchgate.${what}.${deploymentId}@${domainOf(ctx.mailFrom)}>`;
}

function patchUrl(ctx: THandlerCtx, d: TLoadedDeployment): string {
  return new URL(`/patches/${d.patch.id}/deployment`, ctx.publicUrl).toString();
}

export async function keyLine(ctx: THandlerCtx): Promise<string> {
  const key = await portalPublicKey();
  return `This mail is signed with the Patchgate portal key ${key.fingerprint},\npublished at ${new URL("/api/portal-key", ctx.publicUrl)}.`;
}

/**
 * Step 10 (P7): the notification to the system-log list, as the critical
 * admin signed it: the stored part and their detached signature, sent as
 * PGP/MIME. Nothing here re-composes the part; a list reader verifies it
 * against the admin's own key.
 */
export async function notificationMail(
  ctx: THandlerCtx,
  d: TLoadedDeployment,
  to: string,
): Promise<TBuiltMail> {
  const { patch, system, record } = d;
  const signed = d.record.notification;
  if (!signed)
    throw new PermanentError(
      "the critical admin has not signed the notification (deployment page, after the last step by hand)",
    );
  const from = address(ctx.mailFrom, "MAIL_FROM");
  const subject = `[${system.slug}] Patch #${patch.number} installed: ${patch.title} (bug #${patch.bugId})`;
  const raw = assemble(
    {
      // The admin signed the body; the portal only carries it, and says so.
      from: `${displayName(`${signed.signer.name} via Patchgate`)} <${from}>`,
      to: [address(to, "recipient")],
      replyTo: address(signed.signer.email, "the signer's address"),
      subject: subject.replace(/\s+/g, " "),
      messageId: messageId(ctx, "notify", record.id),
      date: new Date(),
    },
    await signedEntity(signed.part, signed.signature),
  );
  return { raw, messageId: messageId(ctx, "notify", record.id), envelope: { from, to: [to] } };
}

/** Step 12 (P7): the reply to the assessment team, forwarding the notification as it was sent. */
export async function replyMail(
  ctx: THandlerCtx,
  d: TLoadedDeployment,
  to: string,
  notification: TBuiltMail,
  listAddress: string,
): Promise<TBuiltMail> {
  const { patch, system, record } = d;
  const at = installedAt(d.record.steps);
  const text = [
    `Patch #${patch.number} "${patch.title}" (bug #${patch.bugId}) is installed on ${system.name}.`,
    `It was installed on ${at ? formatInstant(at) : "(no time recorded)"}.`,
    "",
    `The signed notification sent to ${listAddress} is attached (Message-ID ${notification.messageId}).`,
    `Deployment record: ${patchUrl(ctx, d)}`,
    "",
    await keyLine(ctx),
    "",
  ].join("\n");
  const body = multipart("mixed", [
    textPart(text),
    rfc822Part(notification.raw, `notification-patch-${patch.number}.eml`),
  ]);
  const part = `Content-Type: ${body.contentType}\r\n\r\n${body.body}`;
  const subject = `Fwd: [${system.slug}] Patch #${patch.number} installed: ${patch.title}`;
  return signedMail(
    ctx,
    {
      to: [to],
      subject,
      messageId: messageId(ctx, "reply", record.id),
      references: [notification.messageId],
    },
    part,
  );
}

/** P5: the assessment team is told of a failed apply, with patch's whole output. */
export async function applyFailedMail(
  ctx: THandlerCtx,
  d: TLoadedDeployment,
  to: string,
): Promise<TBuiltMail> {
  const { patch, system, record } = d;
  const apply = d.step(5);
  const evidence = (apply?.evidence ?? {}) as {
    output?: unknown;
    backOutOutput?: unknown;
    nothingChanged?: unknown;
    webServerRunning?: unknown;
  };
  const output = String(evidence.output ?? "");
  const risk = d.step(4)?.evidence as { webServerStopped?: unknown } | null;
  const service = SERVICE[record.procedure].name;
  // P5: what the admin did about it, as they signed it: the back-out, and the service.
  const backOut =
    evidence.nothingChanged === true
      ? ["Back-out: nothing was changed; patch stopped before it wrote any file."]
      : [
          "Back-out (output of the reverse apply):",
          String(evidence.backOutOutput ?? "(none recorded)"),
        ];
  const serviceLine =
    risk?.webServerStopped === true
      ? `The ${service} was stopped at step 4 and ${evidence.webServerRunning === true ? "runs again" : "was NOT confirmed running again"}.`
      : `The ${service} was not stopped.`;
  const text = [
    `Patch #${patch.number} "${patch.title}" (bug #${patch.bugId}) FAILED to apply on ${system.name} at ${(apply?.doneAt ?? new Date()).toISOString()}.`,
    "The deployment was stopped and the patch went back to rework: it needs a new revision and new reviews and tests.",
    "",
    "Output of patch:",
    output,
    "",
    ...backOut,
    "",
    serviceLine,
    "",
    `Deployment record: ${patchUrl(ctx, d)}`,
    "",
    await keyLine(ctx),
    "",
  ].join("\n");
  const subject = `[${system.slug}] Patch #${patch.number} failed to apply: ${patch.title}`;
  return signedMail(
    ctx,
    { to: [to], subject, messageId: messageId(ctx, "apply-failed", record.id) },
    textPart(text),
  );
}
