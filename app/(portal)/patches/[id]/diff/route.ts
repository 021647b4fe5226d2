import { portalDiffResponse } from "./diff-response";

// The revision being reviewed, byte for byte: the patch page downloads it from
// here, hashes it and shows it; its download link is the same URL.
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const raw = new URL(request.url).searchParams.get("revision");
  const revision = raw && /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : undefined;
  if (raw && revision === undefined)
    return new Response("The revision is a positive number.\n", {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  return portalDiffResponse(id, revision, (n) => `patch-${id}-r${n}.diff`);
}
