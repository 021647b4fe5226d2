import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { cleanLine } from "../../domain/input-hygiene";
import { readHttpsHost } from "../../domain/https-host";
import { isUniqueViolation } from "../prisma-errors";
import { appendAuditEvent } from "../audit/append-event";

// S3: the hosts the worker may connect to for an HTTPS check, kept by an admin
// (update:manage), so the portal never becomes a way to probe other hosts.

export const ZHttpsHost = cleanLine()
  .max(300)
  .transform((s, ctx) => {
    const r = readHttpsHost(s);
    if ("host" in r) return r.host;
    ctx.addIssue({ code: "custom", message: r.problem });
    return z.NEVER;
  });

/** POST /api/v1/https-hosts's body. */
export const ZAllowHttpsHost = z.object({
  host: ZHttpsHost.meta({
    description:
      "A DNS name or an IP address, exactly: no port, scheme or wildcard. Kept in lower case.",
  }),
  note: cleanLine().trim().max(500).default(""),
});

export type THttpsHost = { host: string; note: string; addedById: string | null; createdAt: Date };

const SELECT = { host: true, note: true, addedById: true, createdAt: true } as const;

/** The allow-list, by host (update:read: testers see where they may point the check). */
export async function listHttpsHosts({ actor }: { actor: TActor }): Promise<THttpsHost[]> {
  authorize(actor, "update:read");
  return db.httpsAllowedHost.findMany({ select: SELECT, orderBy: { host: "asc" } });
}

/** Whether the (already normalised) host is on the allow-list, read in the caller's transaction. */
export async function isHttpsHostAllowed(tx: Tx | typeof db, host: string): Promise<boolean> {
  return (await tx.httpsAllowedHost.count({ where: { host } })) > 0;
}

/** Adds a host; a host already listed answers its entry unchanged (created false, no event). */
export async function allowHttpsHost(input: {
  actor: TActor;
  host: string;
  note?: string;
}): Promise<{ entry: THttpsHost; created: boolean }> {
  authorize(input.actor, "update:manage");
  const { host, note } = ZAllowHttpsHost.parse({ host: input.host, note: input.note });
  try {
    const entry = await db.$transaction(async (tx: Tx) => {
      const row = await tx.httpsAllowedHost.create({
        data: { host, note, addedById: input.actor.id },
        select: SELECT,
      });
      await appendAuditEvent(tx, {
        actor: input.actor,
        action: "https-host.allowed",
        subjectType: "https-host",
        subjectId: host,
        payload: { host, note },
      });
      return row;
    });
    return { entry, created: true };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const entry = await db.httpsAllowedHost.findUniqueOrThrow({ where: { host }, select: SELECT });
    return { entry, created: false };
  }
}

/** Removes a host: checks already made stay; a check still waiting is refused when it runs. */
export async function removeHttpsHost(input: { actor: TActor; host: string }): Promise<void> {
  authorize(input.actor, "update:manage");
  const host = ZHttpsHost.parse(input.host);
  await db.$transaction(async (tx: Tx) => {
    const { count } = await tx.httpsAllowedHost.deleteMany({ where: { host } });
    if (count === 0)
      throw new AppError("NOT_FOUND", `${host} is not on the HTTPS-check allow-list.`);
    await appendAuditEvent(tx, {
      actor: input.actor,
      action: "https-host.removed",
      subjectType: "https-host",
      subjectId: host,
      payload: { host },
    });
  });
}
