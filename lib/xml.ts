// Characters XML 1.0 forbids even as references (§2.2): one of them in a title
// would make the whole document ill-formed for every reader, so they go.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text or attribute content for an XML 1.0 document (quoted with "). */
export function escapeXml(s: string): string {
  return s
    .replace(FORBIDDEN, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
