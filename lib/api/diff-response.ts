/** A revision's exact bytes as a download: the API's and the portal's diff routes answer alike. */
export function diffResponse(
  diff: { bytes: Uint8Array; sha256: string; number: number },
  contentDisposition: string,
): Response {
  return new Response(new Uint8Array(diff.bytes), {
    headers: {
      "content-type": "text/x-diff",
      "content-disposition": contentDisposition,
      "x-diff-sha256": diff.sha256,
      "x-revision": String(diff.number),
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
