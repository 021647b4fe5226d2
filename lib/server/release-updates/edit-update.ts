import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { sha256Hex } from "../../crypto/hash";
import { cleanId, cleanLine, cleanText } from "../../domain/input-hygiene";
import { BODY_MAX, fillSections, normaliseBody } from "../../domain/update-template";
import { appendAuditEvent } from "../audit/append-event";
import { ZBugId, ZPackages, ZSeries, ZUpdateTitle, ZUpdateVersion } from "./update-fields";
import { loadUpdate, presentUpdate } from "./update-facts";

// Editing a record (PATCH /api/v1/updates/:id): fill sections of the template's
// text, or replace the text, and change its facts. Its creator and anyone else
// who may submit updates (update:submit) may edit. An edit of a submitted,
// approved or rejected record puts it back to DRAFT: the signed revision it
// had is void, and with it every review, acknowledgement and verification of
// it; the next signed submission is a new revision.

/** What an edit changes (PATCH's body: the path names the record). */
const EDIT_FIELDS = {
  sections: z
    .record(cleanLine().trim().min(1).max(200), cleanText().max(BODY_MAX))
    .refine((o) => Object.keys(o).length <= 50, "at most 50 sections at once")
    .optional()
    .meta({
      description:
        'Section title (case-insensitive) → its new text, e.g. { "Impact": "…" }; the text before the first heading is "Introduction". A title that names no section is a 400 (`error.details.unknown`).',
    }),
  body: cleanText()
    .transform(normaliseBody)
    .pipe(z.string().min(1, "must not be empty").max(BODY_MAX))
    .optional()
    .meta({ maxLength: BODY_MAX, description: "The whole text (not with sections)." }),
  title: ZUpdateTitle.optional(),
  packages: ZPackages.optional(),
  version: ZUpdateVersion.optional(),
  series: ZSeries.optional(),
  bugId: ZBugId.optional(),
};

/** Sections or the whole text, not both. */
const oneText = (e: { sections?: unknown; body?: string }) => !(e.sections && e.body !== undefined);
const ONE_TEXT = { message: "give sections or body, not both", path: ["sections"] };

export const ZEditUpdateBody = z.object(EDIT_FIELDS).refine(oneText, ONE_TEXT);

export const ZEditUpdate = z.object({ id: cleanId(), ...EDIT_FIELDS }).refine(oneText, ONE_TEXT);

const FACTS = ["title", "packages", "version", "series", "bugId"] as const;

/** Applies an edit; answers the record as GET /api/v1/updates/:id does. */
export async function editUpdate({
  actor,
  ...input
}: { actor: TActor } & (z.input<typeof ZEditUpdate> | Record<string, unknown>)) {
  const person = requirePerson(actor);
  authorize(person, "update:submit");
  const req = ZEditUpdate.parse(input);
  const u = await loadUpdate(req.id);

  let body = u.body;
  if (req.sections) {
    const filled = fillSections(u.body, req.sections);
    if ("unknown" in filled)
      throw new AppError(
        "VALIDATION",
        `No section ${filled.unknown.map((t) => `"${t}"`).join(", ")} in this record's text.`,
        { unknown: filled.unknown },
      );
    body = filled.body;
  } else if (req.body !== undefined) body = req.body;
  if (body.length > BODY_MAX)
    throw new AppError("VALIDATION", `The text is longer than ${BODY_MAX} characters.`);

  const changes: Record<string, unknown> = {};
  const fields: string[] = [];
  if (body !== u.body) {
    changes.body = body;
    fields.push("body");
  }
  for (const f of FACTS) {
    const v = req[f];
    if (v === undefined) continue;
    if (JSON.stringify(v) === JSON.stringify(u[f])) continue;
    changes[f] = v;
    fields.push(f);
  }
  if (!fields.length) return presentUpdate(u);

  const voidedRevision = u.state === "DRAFT" ? null : u.revision;
  await db.$transaction(async (tx: Tx) => {
    const { count } = await tx.updateRecord.updateMany({
      where: { id: u.id, state: u.state, updatedAt: u.updatedAt, revision: u.revision },
      data: { ...changes, state: "DRAFT", ...(voidedRevision ? { approvedAt: null } : {}) },
    });
    if (count === 0)
      throw new AppError(
        "CONFLICT",
        "This record changed meanwhile (edited, submitted or reviewed): reload it and edit again.",
      );
    await appendAuditEvent(tx, {
      actor: person,
      action: "update.edited",
      subjectType: "update",
      subjectId: u.id,
      payload: { number: u.number, fields, bodySha256: sha256Hex(body), voidedRevision },
    });
  });
  return presentUpdate(await loadUpdate(u.id));
}
