import "server-only";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { cleanId } from "../../domain/input-hygiene";
import { loadPackage, presentUpdate } from "./package-facts";

// What the installation and package pages read besides the API's answers
// (issue 13): how many packages wait on each installation, and a package's
// update record with who applied it, the checklist's evidence and keys, and
// the post-update event's answer.

/** Per installation id: VERIFIED packages whose update is not completed, and QUARANTINED ones. */
export async function packageCounts({ actor }: { actor: TActor }) {
  authorize(actor, "package:read");
  const [quarantined, waiting] = await Promise.all([
    db.updatePackage.groupBy({
      by: ["installationId"],
      where: { state: "QUARANTINED" },
      _count: true,
    }),
    db.packageUpdate.groupBy({
      by: ["installationId"],
      where: { state: { not: "COMPLETED" }, package: { state: "VERIFIED" } },
      _count: true,
    }),
  ]);
  const slugs = new Map(
    (await db.installation.findMany({ select: { id: true, slug: true } })).map((i) => [
      i.id,
      i.slug,
    ]),
  );
  const counts = new Map<string, { waiting: number; quarantined: number }>();
  const entry = (id: string) => {
    const slug = slugs.get(id) ?? id;
    if (!counts.has(slug)) counts.set(slug, { waiting: 0, quarantined: 0 });
    return counts.get(slug)!;
  };
  for (const q of quarantined) entry(q.installationId).quarantined = q._count;
  for (const w of waiting) entry(w.installationId).waiting = w._count;
  return counts;
}

/** A package's update record as the package page shows it, or null when it has none. */
export async function packageUpdateView({ actor, id }: { actor: TActor; id: string }) {
  authorize(actor, "package:read");
  return presentUpdate(await loadPackage(db, cleanId().parse(id)));
}
export type TPackageUpdateView = NonNullable<Awaited<ReturnType<typeof packageUpdateView>>>;
