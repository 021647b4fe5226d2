import "server-only";
import { db, Prisma } from "../db";
import type { TRole } from "../domain/roles";
import type { TPersonActor } from "./actor";

// Every request of every person reads its actor afresh (a disabled account or a revoked role
// stops working at once), so these are raw statements: Prisma's query compiler costs more
// CPU than the queries themselves (decision 0013).

/** The columns an actor is made of, for `FROM "User" u`: its live, approved roles included. */
export function actorColumns(now: Date): Prisma.Sql {
  return Prisma.sql`u.id AS "userId", u.email, u.name, u."disabledAt", u."sessionVersion",
    u."mustChangePassword",
    ARRAY(SELECT DISTINCT g.role::text FROM "RoleGrant" g
          WHERE g."userId" = u.id AND g."approvedAt" <= ${now} AND g."revokedAt" IS NULL
          ORDER BY 1) AS roles`;
}

export type TActorRow = {
  userId: string;
  email: string;
  name: string;
  disabledAt: Date | null;
  sessionVersion: number;
  mustChangePassword: boolean;
  roles: string[];
};

/** The actor of a row read with actorColumns(), or null for a disabled account. */
export function actorOf(row: TActorRow): TPersonActor | null {
  if (row.disabledAt) return null;
  return {
    kind: "person",
    id: row.userId,
    email: row.email,
    name: row.name,
    label: row.email,
    roles: row.roles as TRole[],
    mustChangePassword: row.mustChangePassword,
  };
}

/** A live session: not signed out and not past the absolute end it was given at sign-in. */
const liveSession = (sessionId: string, now: Date) =>
  Prisma.sql`SELECT 1 FROM "AuthSession" s
    WHERE s.id = ${sessionId} AND s."endedAt" IS NULL AND s."expiresAt" > ${now}`;

/** Whether the session row a cookie names still lets it in (checked on every renewal). */
export async function isSessionLive(sessionId: string): Promise<boolean> {
  const rows = await db.$queryRaw<unknown[]>(liveSession(sessionId, new Date()));
  return rows.length === 1;
}

/**
 * The actor for a user id, or null when the account is gone, disabled, the
 * session predates its last security change (sessionVersion), or — for a
 * browser session — the session row is ended or past its absolute lifetime.
 */
export async function loadActor(
  userId: string,
  sessionVersion?: number,
  sessionId?: string,
): Promise<TPersonActor | null> {
  const now = new Date();
  const session =
    sessionId === undefined
      ? Prisma.sql`true`
      : Prisma.sql`EXISTS (${liveSession(sessionId, now)} AND s."userId" = u.id)`;
  const [row] = await db.$queryRaw<(TActorRow & { live: boolean })[]>`
    SELECT ${actorColumns(now)}, ${session} AS live FROM "User" u WHERE u.id = ${userId}`;
  if (!row || !row.live) return null;
  if (sessionVersion !== undefined && sessionVersion !== row.sessionVersion) return null;
  return actorOf(row);
}
