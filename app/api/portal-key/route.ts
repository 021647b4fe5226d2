import { portalPublicKey } from "@/lib/server/portal-key/portal-key";

export const dynamic = "force-dynamic";

/** The portal's public OpenPGP key, which signs every mail it sends (P7). Public by design. */
export async function GET() {
  const key = await portalPublicKey();
  return new Response(key.publicArmored, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": 'inline; filename="patchgate-portal-key.asc"',
      "x-key-fingerprint": key.fingerprint,
      "cache-control": "public, max-age=300",
    },
  });
}
