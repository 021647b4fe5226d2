import "server-only";
import { db } from "../../db";
import { appendAuditEvent } from "../audit/append-event";

/**
 * Sign-out on the server: the session row ends, so the cookie that names it is
 * refused from the next request on, wherever a copy of it lives. Ending an
 * ended session changes nothing and writes nothing.
 */
export async function endSession(sessionId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const session = await tx.authSession.findUnique({
      where: { id: sessionId },
      include: { user: { select: { id: true, email: true } } },
    });
    if (!session) return false;
    const ended = await tx.authSession.updateMany({
      where: { id: sessionId, endedAt: null },
      data: { endedAt: new Date() },
    });
    if (ended.count === 0) return false;
    await appendAuditEvent(tx, {
      actor: { id: session.user.id, label: session.user.email },
      action: "user.signed_out",
      subjectType: "user",
      subjectId: session.user.id,
      payload: { sessionId },
    });
    return true;
  });
}
