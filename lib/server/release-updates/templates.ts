import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { sha256Hex } from "../../crypto/hash";
import { cleanId, cleanLine, cleanText } from "../../domain/input-hygiene";
import { BODY_MAX, findTodos, normaliseBody, parseSections } from "../../domain/update-template";
import { appendAuditEvent } from "../audit/append-event";

// Release-update templates (issue 14, item 1): Markdown with TODO placeholders,
// kept by admins (update:manage); every record is created from one. Nothing is
// created on its own: the demo seeds the certbot SRU template.

export const ZTemplateSlug = cleanLine()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "a slug: lower-case letters, digits and hyphens, 2–63");

/** A template's text; its limit is what the normalised text may hold. */
export const ZTemplateBody = cleanText()
  .transform(normaliseBody)
  .pipe(z.string().min(1, "must not be empty").max(BODY_MAX))
  .meta({
    maxLength: BODY_MAX,
    description:
      "Markdown; `[Heading]` or `## Heading` lines start sections; `TODO` marks a placeholder.",
  });

export const ZSaveTemplate = z.object({
  slug: ZTemplateSlug,
  name: cleanLine().trim().min(3).max(200),
  body: ZTemplateBody,
});

/** PUT /api/v1/update-templates/:slug's body: the path names the template. */
export const ZReplaceTemplate = ZSaveTemplate.omit({ slug: true });

function presentTemplate(t: {
  slug: string;
  name: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}) {
  return {
    slug: t.slug,
    name: t.name,
    body: t.body,
    bodySha256: sha256Hex(t.body),
    sections: parseSections(t.body).map((s) => ({ title: s.title, line: s.line })),
    todos: findTodos(t.body),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export type TPresentedTemplate = ReturnType<typeof presentTemplate>;

/** Creates the template with this slug, or replaces its name and body (admins: update:manage); createOnly: a 409 when it exists. */
export async function saveTemplate({
  actor,
  createOnly = false,
  ...input
}: { actor: TActor; createOnly?: boolean } & (
  z.input<typeof ZSaveTemplate> | Record<string, unknown>
)) {
  authorize(actor, "update:manage");
  const data = ZSaveTemplate.parse(input);
  const saved = await db.$transaction(async (tx: Tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"update-template:" + data.slug}))`;
    const before = await tx.updateTemplate.findUnique({ where: { slug: data.slug } });
    if (before && createOnly)
      throw new AppError(
        "CONFLICT",
        `A template ${data.slug} exists already: change it with PUT /api/v1/update-templates/${data.slug}.`,
      );
    const row = before
      ? await tx.updateTemplate.update({
          where: { id: before.id },
          data: { name: data.name, body: data.body },
        })
      : await tx.updateTemplate.create({
          data: { ...data, createdById: actor.id },
        });
    await appendAuditEvent(tx, {
      actor,
      action: "update-template.saved",
      subjectType: "update-template",
      subjectId: row.id,
      payload: {
        slug: row.slug,
        name: row.name,
        bodySha256: sha256Hex(row.body),
        created: !before,
      },
    });
    return { row, created: !before };
  });
  return { ...presentTemplate(saved.row), created: saved.created };
}

/** Every template, by name (anyone who reads updates: they are what records are made from). */
export async function listTemplates({ actor }: { actor: TActor }) {
  authorize(actor, "update:read");
  const rows = await db.updateTemplate.findMany({ orderBy: [{ name: "asc" }, { slug: "asc" }] });
  return rows.map(presentTemplate);
}

/** One template by its slug; NOT_FOUND when there is none. */
export async function getTemplate({ actor, slug }: { actor: TActor; slug: string }) {
  authorize(actor, "update:read");
  const row = await db.updateTemplate.findUnique({ where: { slug: cleanId().parse(slug) } });
  if (!row) throw new AppError("NOT_FOUND", `No update template ${slug}.`);
  return presentTemplate(row);
}
