import "server-only";

/** A built dossier as a download: the same headers for the API and the browser. */
export function dossierResponse(dossier: {
  fileName: string;
  bytes: Uint8Array;
  sha256: string;
}): Response {
  return new Response(new Uint8Array(dossier.bytes), {
    headers: {
      "content-type": "application/gzip",
      "content-disposition": `attachment; filename="${dossier.fileName}"`,
      "content-length": String(dossier.bytes.length),
      "x-content-sha256": dossier.sha256,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
