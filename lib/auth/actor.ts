import type { TRole } from "../domain/roles";
import { can, type TPermission } from "../domain/permissions";
import { AppError } from "../errors";

// Who is acting. A person is loaded fresh from the database on every request,
// so a disabled account or a revoked role stops working at once.
export type TPersonActor = {
  kind: "person";
  id: string;
  email: string;
  name: string;
  label: string;
  roles: TRole[];
  /** The password was set by an admin: nothing but choosing one's own is allowed. */
  mustChangePassword?: boolean;
};

// The CLI run by an operator with database access: the bootstrap of a portal.
export type TSystemActor = { kind: "system"; id: null; label: string };

export type TActor = TPersonActor | TSystemActor;

export const CLI_BOOTSTRAP: TSystemActor = { kind: "system", id: null, label: "cli-bootstrap" };
// The worker process ticking the steps it performs (notification, bug, mirror).
export const WORKER_ACTOR: TSystemActor = { kind: "system", id: null, label: "worker" };

/** Throws FORBIDDEN unless the actor may do this. The system actor is the operator. */
export function authorize(actor: TActor, permission: TPermission): void {
  if (actor.kind === "system") return;
  if (!can(actor.roles, permission)) {
    throw new AppError("FORBIDDEN", `Your roles do not allow ${permission}.`, { permission });
  }
}

export function requirePerson(actor: TActor): TPersonActor {
  if (actor.kind !== "person")
    throw new AppError("FORBIDDEN", "This action needs a signed-in person.");
  return actor;
}
