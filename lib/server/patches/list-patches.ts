import "server-only";
import { z } from "zod";
import { cleanLine, intId } from "../../domain/input-hygiene";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { stepProgress } from "../../domain/procedures";
import { PATCH_STATES } from "../../domain/patch-state";

export const ZListPatches = z.object({
  state: z.enum(PATCH_STATES).optional(),
  system: cleanLine().trim().optional().meta({ description: "A target system's slug." }),
  /** Keyset cursor: the number of the last patch on the previous page. */
  before: intId()
    .optional()
    .meta({ description: "Keyset cursor: `nextBefore` of the previous page." }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** The number people see (#12): the page holds that one patch, or none. */
  number: intId().optional().meta({
    description: "A patch's number (#12 on its page): the page holds that patch or none.",
  }),
});

/** Newest first, filtered by state and system, keyset-paginated by patch number. */
export async function listPatches({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZListPatches>) {
  authorize(actor, "patch:read");
  const f = ZListPatches.parse(input);
  const rows = await db.patch.findMany({
    where: {
      ...(f.state ? { state: f.state } : {}),
      ...(f.system ? { system: { slug: f.system } } : {}),
      ...(f.before || f.number
        ? {
            number: {
              ...(f.number ? { equals: f.number } : {}),
              ...(f.before ? { lt: f.before } : {}),
            },
          }
        : {}),
    },
    orderBy: { number: "desc" },
    take: f.limit + 1,
    include: {
      system: { select: { slug: true, name: true } },
      author: { select: { name: true } },
      // The newest deployment: its steps count only while it is the current revision's.
      deployments: {
        orderBy: { openedAt: "desc" },
        take: 1,
        select: {
          revision: { select: { number: true } },
          steps: { select: { number: true, applicable: true, status: true } },
        },
      },
    },
  });
  const page = rows.slice(0, f.limit);
  return {
    patches: page.map((p) => ({
      id: p.id,
      number: p.number,
      title: p.title,
      state: p.state,
      revision: p.currentRevision,
      system: p.system.slug,
      bugId: p.bugId,
      author: p.author.name,
      updatedAt: p.updatedAt,
      steps:
        p.deployments[0]?.revision.number === p.currentRevision
          ? stepProgress(p.deployments[0].steps)
          : null,
    })),
    nextBefore: rows.length > f.limit ? page[page.length - 1].number : null,
  };
}
