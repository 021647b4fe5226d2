import { notificationText, type TNotificationFacts } from "../domain/notification";
import { textPart } from "./mime";

/**
 * The MIME part of the notification exactly as the admin signs it and the
 * worker sends it (RFC 3156 §5): its own headers, quoted-printable body,
 * 7-bit, CRLF line ends, no trailing white space. The same facts give the
 * same bytes, so the server can rebuild it to check what was signed.
 */
export function notificationPart(facts: TNotificationFacts): string {
  return textPart(notificationText(facts));
}

/** What RFC 3156 asks of a signed part, checked before anyone signs or sends it. */
export function isCanonicalPart(part: string): boolean {
  return (
    !/[^\x00-\x7f]/.test(part) &&
    !/(^|[^\r])\n/.test(part) &&
    !/\r(?!\n)/.test(part) &&
    !/[ \t]\r\n/.test(part) &&
    /\r\n\r\n/.test(part)
  );
}
