import "server-only";
import { Prisma } from "../db";

/** P2002, however the driver adapter reports it. */
export function isUniqueViolation(e: unknown): boolean {
  return e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002";
}
