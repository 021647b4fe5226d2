// Splits a raw multipart/signed message the way a verifier must: the signed
// part is the exact bytes between the first delimiter line and the next one.
export function splitSigned(raw: string): {
  signed: string;
  signature: string;
  contentType: string;
} {
  const headerEnd = raw.indexOf("\r\n\r\n");
  const headers = raw.slice(0, headerEnd).replace(/\r\n[ \t]+/g, " ");
  const contentType = /^Content-Type: (.*)$/im.exec(headers)?.[1] ?? "";
  const b = /boundary="([^"]+)"/.exec(contentType)?.[1];
  if (!b) throw new Error("no boundary");
  const body = raw.slice(headerEnd + 4);
  const start = body.indexOf(`--${b}\r\n`) + `--${b}\r\n`.length;
  const mid = body.indexOf(`\r\n--${b}\r\n`, start);
  const end = body.indexOf(`\r\n--${b}--`, mid);
  const signed = body.slice(start, mid);
  const sigPart = body.slice(mid + `\r\n--${b}\r\n`.length, end);
  const signature = sigPart.slice(sigPart.indexOf("\r\n\r\n") + 4);
  return { signed, signature, contentType };
}
