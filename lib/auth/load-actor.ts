import "server-only";
import { db } from "../db";
import type { TRole } from "../domain/roles";
import type { TPersonActor } from "./actor";

/** A live session: not signed out and not past the absolute end it was given at sign-in. */
function liveSessionWhere(sessionId: string, now: Date) {
  return { id: sessionId, endedAt: null, expiresAt: { gt: now } };
}

/** Whether the session row a cookie names still lets it in (checked on every renewal). */
export async function isSessionLive(sessionId: string): Promise<boolean> {
  const n = await db.authSession.count({ where: liveSessionWhere(sessionId, new Date()) });
  return n === 1;
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
  const user = await db.user.findUnique({
    where: { id: userId },
    include: {
      grants: {
        where: { approvedAt: { not: null, lte: now }, revokedAt: null },
        select: { role: true },
      },
      ...(sessionId === undefined
        ? {}
        : { authSessions: { where: liveSessionWhere(sessionId, now), select: { id: true } } }),
    },
  });
  if (!user || user.disabledAt) return null;
  if (sessionVersion !== undefined && sessionVersion !== user.sessionVersion) return null;
  if (sessionId !== undefined && (user.authSessions?.length ?? 0) !== 1) return null;
  return {
    kind: "person",
    id: user.id,
    email: user.email,
    name: user.name,
    label: user.email,
    roles: [...new Set(user.grants.map((g) => g.role as TRole))],
    mustChangePassword: user.mustChangePassword,
  };
}
