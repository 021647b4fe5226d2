import { randomBytes } from "node:crypto";
import * as qp from "nodemailer/lib/qp";
import * as mimeFuncs from "nodemailer/lib/mime-funcs";

// A small MIME writer for the signed mail: RFC 3156 signs the exact bytes of a
// body part, so the part is built here byte for byte (CRLF, 7-bit only) rather
// than left to a composer that might re-encode it after signing.

export const CRLF = "\r\n";

export function toCrlf(s: string): string {
  return s.replace(/\r?\n/g, CRLF);
}

export function boundary(): string {
  return `=_patchgate_${randomBytes(12).toString("hex")}`;
}

/** Quoted-printable UTF-8 text; "From " at a line start is encoded too, as RFC 3156 advises. */
export function textPart(text: string): string {
  const normalised = text.replace(/\r\n?/g, "\n");
  const body = toCrlf(qp.wrap(qp.encode(Buffer.from(normalised, "utf8")), 76)).replace(
    /^From /gm,
    "=46rom ",
  );
  return [
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: quoted-printable",
    "",
    body,
  ].join(CRLF);
}

/** A whole message as an attachment (forwarding); the message must already be 7-bit CRLF. */
export function rfc822Part(raw: string, filename: string): string {
  return [
    "Content-Type: message/rfc822",
    `Content-Disposition: attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
    "",
    raw.replace(/(\r\n)+$/, ""),
  ].join(CRLF);
}

export function multipart(
  subtype: string,
  parts: string[],
  params = "",
): { contentType: string; body: string } {
  const b = boundary();
  const body = parts.map((p) => `--${b}${CRLF}${p}${CRLF}`).join("") + `--${b}--${CRLF}`;
  return { contentType: `multipart/${subtype}; boundary="${b}"${params}`, body };
}

/** A header line, non-ASCII as encoded words, folded at spaces below 78 columns. */
export function header(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`header ${name} must not contain line breaks`);
  const encoded = mimeFuncs.isPlainText(value) ? value : mimeFuncs.encodeWords(value, "Q", 52);
  const words = encoded.split(" ");
  const lines: string[] = [];
  let line = `${name}:`;
  for (const w of words) {
    if (line.length + 1 + w.length > 76 && line.length > name.length + 1) {
      lines.push(line);
      line = ` ${w}`;
    } else {
      line += ` ${w}`;
    }
  }
  lines.push(line);
  return lines.join(CRLF);
}

export type TMessageHeaders = {
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  date: Date;
  references?: string[];
  replyTo?: string;
};

/** Top-level headers plus one entity (its own Content-Type line and body). */
export function assemble(
  h: TMessageHeaders,
  entity: { contentType: string; body: string },
): string {
  const lines = [
    header("From", h.from),
    header("To", h.to.join(", ")),
    ...(h.replyTo ? [header("Reply-To", h.replyTo)] : []),
    header("Subject", h.subject),
    `Date: ${h.date.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: ${h.messageId}`,
    ...(h.references?.length
      ? [`In-Reply-To: ${h.references.at(-1)}`, header("References", h.references.join(" "))]
      : []),
    "MIME-Version: 1.0",
    `Content-Type: ${entity.contentType}`,
    "",
    entity.body,
  ];
  return lines.join(CRLF);
}
