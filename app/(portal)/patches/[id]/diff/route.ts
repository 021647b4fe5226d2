import { sessionRoute } from "@/lib/api/session-route";
import { AppError } from "@/lib/errors";
import { portalDiffResponse } from "./diff-response";

// The revision being reviewed, byte for byte: the patch page downloads it from
// here, hashes it and shows it; its download link is the same URL.
export const GET = sessionRoute<{ params: Promise<{ id: string }> }>(
  async ({ actor, request, context }) => {
    const { id } = await context.params;
    const raw = new URL(request.url).searchParams.get("revision");
    const revision = raw && /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : undefined;
    if (raw && revision === undefined)
      throw new AppError("VALIDATION", "The revision is a positive number.");
    return portalDiffResponse(actor, id, revision, (n) => `patch-${id}-r${n}.diff`);
  },
  { errors: "text" },
);
