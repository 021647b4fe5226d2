import "server-only";
import { z } from "zod";
import { cleanLine } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { ROLES } from "../../domain/roles";
import { hashPassword } from "../../crypto/password";
import { parseRegistrableKey } from "../../crypto/pgp-keys";
import { appendAuditEvent } from "../audit/append-event";
import { insertKey } from "../keys/insert-key";
import { AppError } from "../../errors";
import { newApiToken } from "../../crypto/tokens";
import { isUniqueViolation } from "../prisma-errors";
import { issuePasswordLink } from "./issue-password-link";

export const ZCreateUser = z.object({
  email: z.string().trim().toLowerCase().email(),
  name: cleanLine().trim().min(1).max(200),
  password: z.string().min(10, "Password: at least 10 characters").max(256).optional(),
  roles: z.array(z.enum(ROLES)).default([]),
  pgpKey: z.string().optional(),
  withToken: z.boolean().default(false),
});
export type TCreateUser = z.input<typeof ZCreateUser>;

/**
 * Creates a person with approved role grants (the acting admin, or the CLI
 * bootstrap, recorded as nominator and approver), an optional key and an
 * optional API token: all of it, or nothing. Only the operator's CLI sets a
 * password; an account an admin makes in the portal gets a one-time link by
 * mail to choose one, so no admin ever knows it.
 */
export async function createUser({ actor, ...input }: { actor: TActor } & TCreateUser) {
  try {
    return await insertUser(actor, input);
  } catch (e) {
    // Two creations racing past the email check: the unique index decides.
    if (isUniqueViolation(e))
      throw new AppError(
        "CONFLICT",
        "A user with that email, or a key with that fingerprint, already exists.",
      );
    throw e;
  }
}

async function insertUser(actor: TActor, input: TCreateUser) {
  authorize(actor, "roles:manage");
  const data = ZCreateUser.parse(input);
  if (actor.kind === "person" && data.password !== undefined)
    throw new AppError(
      "VALIDATION",
      "An admin does not choose passwords: the new person gets a link by mail to choose their own.",
    );
  const key = data.pgpKey
    ? await parseRegistrableKey(data.pgpKey, { accountEmail: data.email })
    : null;
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  const token = data.withToken ? newApiToken() : null;
  const via = actor.kind === "system" ? actor.label : "portal";

  const user = await db.$transaction(async (tx: Tx) => {
    if (await tx.user.findUnique({ where: { email: data.email }, select: { id: true } })) {
      throw new AppError("CONFLICT", `A user with the email ${data.email} already exists.`);
    }
    const user = await tx.user.create({
      data: { email: data.email, name: data.name, passwordHash },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "user.created",
      subjectType: "user",
      subjectId: user.id,
      payload: { email: user.email, name: user.name },
    });
    const now = new Date();
    for (const role of new Set(data.roles)) {
      await tx.roleGrant.create({
        data: {
          userId: user.id,
          role,
          nominatedById: actor.id,
          nominatedVia: via,
          nominatedAt: now,
          approvedById: actor.id,
          approvedVia: via,
          approvedAt: now,
        },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "role.approved",
        subjectType: "user",
        subjectId: user.id,
        payload: { userId: user.id, role, via },
      });
    }
    if (key) await insertKey(tx, actor, user.id, key);
    if (actor.kind === "person") await issuePasswordLink(tx, actor, user.id);
    if (token) {
      await tx.apiToken.create({
        // The operator's token acts fully as the person, as tokens did before scopes.
        data: {
          userId: user.id,
          name: "cli",
          tokenHash: token.hash,
          prefix: token.prefix,
          scope: "SIGN",
        },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "token.created",
        subjectType: "user",
        subjectId: user.id,
        payload: { userId: user.id, name: "cli", prefix: token.prefix, scope: "sign" },
      });
    }
    return user;
  });
  return { user, token: token?.token ?? null };
}
