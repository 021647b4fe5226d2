import { db } from "../../lib/db";
import { can } from "../../lib/domain/permissions";
import { ROLES } from "../../lib/domain/roles";
import { textPart } from "../../lib/mail/mime";
import { completeOutbox } from "../complete-outbox";
import { keyLine, signedMail } from "../mail/compose";
import { domainOf, sendMailOnce } from "../mail/send-once";
import { PermanentError, type THandler } from "./context";

// U3: a trusted certificate's expiry warning at one mark, as a signed mail to
// the installation's admins: every enabled person holding an approved,
// unrevoked role that may manage packages (and so replace the certificate).

const DAY_MS = 86_400_000;
const MANAGERS = ROLES.filter((r) => can([r], "package:manage"));

async function packageAdmins(): Promise<string[]> {
  const grants = await db.roleGrant.findMany({
    where: {
      role: { in: [...MANAGERS] },
      approvedAt: { not: null },
      revokedAt: null,
      user: { disabledAt: null },
    },
    select: { user: { select: { email: true } } },
  });
  return [...new Set(grants.map((g) => g.user.email))].sort();
}

const MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");

/**
 * As `openssl x509 -noout -enddate` prints a date: "Jun 15 18:18:53 2032 GMT". The same as
 * lib/update's opensslDate(), which the worker may not import (ARCHITECTURE.md, layers); the
 * integration test holds the two equal.
 */
function opensslDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}

export const sendCertificateExpiry: THandler<"certificate.expiry"> = async (
  ctx,
  outboxId,
  { certificateId, mark },
) => {
  const cert = await db.trustedCertificate.findUnique({
    where: { id: certificateId },
    include: { installation: true },
  });
  if (!cert) throw new PermanentError(`trusted certificate ${certificateId} does not exist`);
  const notice = await db.certificateExpiryNotice.findUnique({
    where: { certificateId_mark: { certificateId, mark } },
  });
  // Removed since the warning was written: nobody needs to replace it any more.
  const to = cert.removedAt ? [] : await packageAdmins();
  if (to.length > 0) {
    const inst = cert.installation;
    // Counted from when the mark fell due, so a retry tells the same days.
    const dueAt = notice?.createdAt ?? new Date();
    const days = Math.max(0, Math.ceil((cert.notAfter.getTime() - dueAt.getTime()) / DAY_MS));
    const inDays = days === 1 ? "1 day" : `${days} days`;
    const page = new URL(`/installations/${encodeURIComponent(inst.slug)}`, ctx.publicUrl);
    await sendMailOnce(
      ctx,
      `mail:certificate-expiry:${certificateId}:${mark}`,
      outboxId,
      async () =>
        signedMail(
          ctx,
          {
            to,
            subject: `Patchgate: the trusted certificate of ${inst.name} ends in ${inDays}`,
            messageId: `<patchgate.certificate-expiry.${certificateId}.${mark}@${domainOf(ctx.mailFrom)}>`,
          },
          textPart(
            [
              `A certificate that the installation ${inst.name} (${inst.slug}, ${inst.product}) trusts for its update packages ends in ${inDays}.`,
              "",
              `Subject:  ${cert.subject}`,
              `Issuer:   ${cert.issuer}`,
              `SHA-256:  ${cert.sha256}`,
              `notAfter=${opensslDate(cert.notAfter)}`,
              "",
              "From then on, packages checked against it are quarantined, as openssl smime -verify refuses them.",
              "What to do before then:",
              "  1. Get the vendor's current certificate.",
              `  2. Add it under Installations → ${inst.name} → Trusted certificates.`,
              "  3. Remove the old one there.",
              "",
              `Installation: ${page}`,
              "",
              `This is the ${mark}-day warning; you get one each at 90, 30 and 7 days.`,
              "",
              await keyLine(ctx),
              "",
            ].join("\n"),
          ),
        ),
    );
  }
  await completeOutbox(outboxId);
};
