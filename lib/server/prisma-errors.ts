import "server-only";
import { Prisma } from "../db";

/**
 * A unique index refused the write: P2002 from a model query, or P2010 from a raw one (the
 * hot paths', decision 0013), whose driver adapter names the kind.
 */
export function isUniqueViolation(e: unknown): boolean {
  if (!(e instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (e.code === "P2002") return true;
  const cause = (e.meta?.driverAdapterError as { cause?: { kind?: unknown } } | undefined)?.cause;
  return e.code === "P2010" && cause?.kind === "UniqueConstraintViolation";
}

// Prisma's "cannot reach / lost the database" codes, and PostgreSQL's SQLSTATEs for a
// server that is shutting down, starting up or dropped the connection (classes 08 and 57P).
const UNREACHABLE_PRISMA = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const UNREACHABLE_SQLSTATE = /^(08\d\d\d|57P0[1-3])$/;
const UNREACHABLE_TEXT =
  /ECONNREFUSED|ECONNRESET|Connection terminated|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode)|Can't reach database server|Server has closed the connection|DatabaseNotReachable|Timed out fetching a new connection|Client has encountered a connection error|Connection terminated unexpectedly/i;

/**
 * True when the error means PostgreSQL could not be reached or dropped the
 * connection (restart, failover), not that the query was wrong. Walks the
 * cause chain: the pg driver adapter wraps the driver's error.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  // Only what Prisma threw: an SMTP or HTTP peer's ECONNREFUSED is not the database.
  if (!isPrismaError(e)) return false;
  const seen = new Set<unknown>();
  for (let x: unknown = e; x && typeof x === "object" && !seen.has(x);) {
    seen.add(x);
    if (x instanceof Prisma.PrismaClientInitializationError) return true;
    const err = x as { code?: unknown; message?: unknown; cause?: unknown; kind?: unknown };
    const code = typeof err.code === "string" ? err.code : "";
    if (UNREACHABLE_PRISMA.has(code) || UNREACHABLE_SQLSTATE.test(code)) return true;
    if (code === "ECONNREFUSED" || code === "ECONNRESET") return true;
    if (err.kind === "DatabaseNotReachable" || err.kind === "ConnectionClosed") return true;
    if (typeof err.message === "string" && UNREACHABLE_TEXT.test(err.message)) return true;
    x = err.cause;
  }
  return false;
}

function isPrismaError(e: unknown): boolean {
  return (
    e instanceof Prisma.PrismaClientKnownRequestError ||
    e instanceof Prisma.PrismaClientUnknownRequestError ||
    e instanceof Prisma.PrismaClientInitializationError ||
    e instanceof Prisma.PrismaClientRustPanicError ||
    (e instanceof Error && e.name === "DriverAdapterError")
  );
}
