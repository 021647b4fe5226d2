import "server-only";
import { z } from "zod";
import { cleanLine } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { isUniqueViolation } from "../prisma-errors";
import { appendAuditEvent } from "../audit/append-event";
import { MIN_REVIEWS, MIN_TESTS, ZReviewsRequired, ZTestsRequired } from "../../domain/policy";

export const ZAddSystem = z.object({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "Slug: lower-case letters, digits and dashes"),
  name: cleanLine().trim().min(1).max(200),
  procedure: z.enum(["WEBDB", "SIGNING_SERVER"]).default("WEBDB"),
  reviewsRequired: ZReviewsRequired.default(MIN_REVIEWS),
  testsRequired: ZTestsRequired.default(MIN_TESTS),
});

/** Registers a target system with its policy (thresholds and procedure). */
export async function addSystem({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZAddSystem>) {
  authorize(actor, "systems:manage");
  const data = ZAddSystem.parse(input);
  try {
    return await db.$transaction(async (tx: Tx) => {
      const system = await tx.targetSystem.create({ data });
      await appendAuditEvent(tx, {
        actor,
        action: "system.created",
        subjectType: "system",
        subjectId: system.id,
        payload: data,
      });
      return system;
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("CONFLICT", `A system with the slug ${data.slug} already exists.`);
    throw e;
  }
}
