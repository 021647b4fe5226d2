/**
 * A statement to sign: the body is exactly the bytes to sign (sign the body,
 * not a re-typed copy), with its expiry and the key it names in headers.
 */
export function statementResponse(issued: {
  statement: string;
  expiresAt: Date;
  keyFingerprint: string;
}): Response {
  return new Response(issued.statement, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
      "x-statement-expires-at": issued.expiresAt.toISOString(),
      "x-key-fingerprint": issued.keyFingerprint,
    },
  });
}
