import "server-only";
import { forbidden, redirect } from "next/navigation";
import { auth } from "./config";
import { loadActor } from "./load-actor";
import type { TPersonActor } from "./actor";
import { can, type TPermission } from "../domain/permissions";
import { AppError } from "../errors";

/** The signed-in person, or null: read from the database on every request. */
export async function currentActor(): Promise<TPersonActor | null> {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  // A session without a version predates versioning, one without a session row
  // predates server-side sessions: both are stale.
  const { sv, sid } = session as unknown as { sv?: number; sid?: unknown };
  if (typeof sid !== "string") return null;
  return loadActor(userId, sv ?? -1, sid);
}

/**
 * For server actions: the signed-in person; throws UNAUTHENTICATED when there
 * is none, and FORBIDDEN while they still hold a password an admin chose.
 */
export async function requireActor(
  opts: { allowTemporaryPassword?: boolean } = {},
): Promise<TPersonActor> {
  const actor = await currentActor();
  if (!actor) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
  if (actor.mustChangePassword && !opts.allowTemporaryPassword) {
    throw new AppError(
      "FORBIDDEN",
      "Choose your own password first: the one you were given is temporary.",
    );
  }
  return actor;
}

/**
 * For pages: the signed-in person, or a redirect to /login. With a permission,
 * a person without it gets the 403 page, rendered by the server.
 */
export async function pageActor(permission?: TPermission): Promise<TPersonActor> {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  if (actor.mustChangePassword) redirect("/password");
  if (permission && !can(actor.roles, permission)) forbidden();
  return actor;
}
