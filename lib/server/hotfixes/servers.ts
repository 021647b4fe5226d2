import "server-only";
import { z } from "zod";
import { cleanLine } from "../../domain/input-hygiene";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { VERSION } from "../../domain/hotfix-name";
import { isUniqueViolation } from "../prisma-errors";
import { appendAuditEvent } from "../audit/append-event";

// H2: the server inventory, each with its role and the product version it runs.

export const ZAddServer = z.object({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "Slug: lower-case letters, digits and dashes"),
  name: cleanLine().trim().max(200).optional(),
  product: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/, "Product: lower-case letters, digits, - and ."),
  version: z.string().trim().regex(VERSION, "Version: x.y.z"),
  role: z
    .string()
    .trim()
    .toUpperCase()
    .pipe(z.enum(["FRONTEND", "BACKEND"], { error: "Role: frontend or backend" }))
    .meta({ description: "frontend or backend (any case)." }),
});
export type TAddServer = z.input<typeof ZAddServer>;

export async function addServer({ actor, ...input }: { actor: TActor } & TAddServer) {
  authorize(actor, "servers:manage");
  const data = ZAddServer.parse(input);
  const row = { ...data, name: data.name || data.slug };
  try {
    return await db.$transaction(async (tx) => {
      const server = await tx.server.create({
        data: { ...row, createdById: actor.id },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "server.added",
        subjectType: "server",
        subjectId: server.id,
        payload: {
          slug: row.slug,
          name: row.name,
          role: row.role,
          product: row.product,
          version: row.version,
        },
      });
      return presentServer(server, []);
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("CONFLICT", `A server with the slug ${data.slug} already exists.`);
    throw e;
  }
}

type TServerRow = { slug: string; name: string; role: string; product: string; version: string };
export type TServerView = ReturnType<typeof presentServer>;

function presentServer(s: TServerRow, hotfixes: { name: string; state: string }[]) {
  return {
    slug: s.slug,
    name: s.name,
    role: s.role.toLowerCase() as "frontend" | "backend",
    product: s.product,
    version: s.version,
    hotfixes,
  };
}

/** Every server with the hotfixes live on it (applied or verified), by slug. */
export async function listServers({ actor }: { actor: TActor }) {
  authorize(actor, "hotfix:read");
  const servers = await db.server.findMany({
    orderBy: { slug: "asc" },
    include: {
      applications: {
        where: { state: { in: ["APPLIED", "VERIFIED"] }, hotfix: { deletedAt: null } },
        orderBy: { appliedAt: "asc" },
        select: { state: true, hotfix: { select: { name: true } } },
      },
    },
  });
  return servers.map((s) =>
    presentServer(
      s,
      s.applications.map((a) => ({ name: a.hotfix.name, state: a.state })),
    ),
  );
}
