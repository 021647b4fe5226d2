import "server-only";

/** A built bundle as a download: the same headers for the API and the browser. */
export function evidenceResponse(bundle: {
  fileName: string;
  bytes: Uint8Array;
  sha256: string;
}): Response {
  return new Response(new Uint8Array(bundle.bytes), {
    headers: {
      "content-type": "application/gzip",
      "content-disposition": `attachment; filename="${bundle.fileName}"`,
      "content-length": String(bundle.bytes.length),
      "x-content-sha256": bundle.sha256,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
