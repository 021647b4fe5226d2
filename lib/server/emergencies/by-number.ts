import "server-only";
import { db } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import type { TPermission } from "../../domain/permissions";
import { getEmergency } from "./get-emergency";
import { getDispute } from "./get-dispute";

// The API names emergencies and disputes by the number people see (#7); the
// use-cases take ids. The caller's permission for the step is checked first,
// so an unknown number tells nothing to someone who may not take the step.

/** The permission an emergency statement needs: a ruling the arbitrator's, anything else a responder's. */
export function emergencyStatementPermission(kind: string | undefined): TPermission {
  return kind === "ruling" ? "dispute:rule" : "emergency:respond";
}

/** The id of emergency #number; NOT_FOUND for an unknown number. */
export async function emergencyIdOf({
  actor,
  number,
  permission,
}: {
  actor: TActor;
  number: number;
  permission: TPermission;
}): Promise<string> {
  authorize(requirePerson(actor), permission);
  const e = await db.emergency.findUnique({ where: { number }, select: { id: true } });
  if (!e) throw new AppError("NOT_FOUND", `No emergency #${number}.`);
  return e.id;
}

/** Dispute #number with its emergency's id; NOT_FOUND for an unknown number. */
export async function disputeOf({
  actor,
  number,
  permission,
}: {
  actor: TActor;
  number: number;
  permission: TPermission;
}): Promise<{ id: string; number: number; emergencyId: string }> {
  authorize(requirePerson(actor), permission);
  const d = await db.dispute.findUnique({
    where: { number },
    select: { id: true, number: true, emergencyId: true },
  });
  if (!d) throw new AppError("NOT_FOUND", `No dispute #${number}.`);
  return d;
}

/** getEmergency, with NOT_FOUND for an unknown number. */
export async function requireEmergency(args: Parameters<typeof getEmergency>[0]) {
  const e = await getEmergency(args);
  if (!e) throw new AppError("NOT_FOUND", `No emergency #${args.number}.`);
  return e;
}

/** getDispute, with NOT_FOUND for an unknown number. */
export async function requireDispute(args: Parameters<typeof getDispute>[0]) {
  const d = await getDispute(args);
  if (!d) throw new AppError("NOT_FOUND", `No dispute #${args.number}.`);
  return d;
}
