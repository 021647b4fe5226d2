import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { cleanId } from "../../domain/input-hygiene";
import { appendAuditEvent } from "../audit/append-event";
import { ZBugId, ZPackages, ZSeries, ZUpdateTitle, ZUpdateVersion } from "./update-fields";
import { loadUpdate, presentUpdate } from "./update-facts";

// One record per update (S1): a package family to a new upstream version for
// several series of a target system, its text the template's body with TODOs
// to fill before it can be submitted.

export const ZCreateUpdate = z.object({
  template: cleanId().meta({ description: "The template's slug." }),
  system: cleanId().meta({ description: "The target system's slug (review policy, tracker)." }),
  title: ZUpdateTitle,
  packages: ZPackages,
  version: ZUpdateVersion,
  series: ZSeries,
  bugId: ZBugId,
});

/** Creates a DRAFT record from a template (update:submit); answers it as GET /api/v1/updates/:id does. */
export async function createUpdate({
  actor,
  ...input
}: { actor: TActor } & (z.input<typeof ZCreateUpdate> | Record<string, unknown>)) {
  const person = requirePerson(actor);
  authorize(person, "update:submit");
  const data = ZCreateUpdate.parse(input);
  const [template, system] = await Promise.all([
    db.updateTemplate.findUnique({ where: { slug: data.template } }),
    db.targetSystem.findUnique({ where: { slug: data.system } }),
  ]);
  if (!template) throw new AppError("NOT_FOUND", `No update template ${data.template}.`);
  if (!system) throw new AppError("NOT_FOUND", `No target system ${data.system}.`);
  const id = await db.$transaction(async (tx: Tx) => {
    const row = await tx.updateRecord.create({
      data: {
        title: data.title,
        templateId: template.id,
        systemId: system.id,
        packages: data.packages,
        version: data.version,
        series: data.series,
        bugId: data.bugId,
        body: template.body,
        createdById: person.id,
      },
    });
    await appendAuditEvent(tx, {
      actor: person,
      action: "update.created",
      subjectType: "update",
      subjectId: row.id,
      payload: {
        number: row.number,
        template: template.slug,
        system: system.slug,
        packages: row.packages,
        version: row.version,
        series: row.series,
        bugId: row.bugId,
      },
    });
    return row.id;
  });
  return presentUpdate(await loadUpdate(id));
}
