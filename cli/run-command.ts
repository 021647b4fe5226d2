import { ZodError } from "zod";
import { isAppError } from "../lib/errors";
import { PortalError } from "./client/portal-client";

/** A failure whose message is the whole report: printed as it is, exit status 1. */
export class CommandFailed extends Error {
  override name = "CommandFailed";
}

/**
 * Wraps a command's action: any failure becomes one message on stderr and exit
 * status 1. The use-cases are transactional, so a failed command has written nothing.
 */
export function runCommand<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    try {
      await action(...args);
    } catch (e) {
      reportError(e);
      process.exitCode = 1;
    } finally {
      await disconnect();
    }
  };
}

function reportError(e: unknown): void {
  if (e instanceof ZodError) {
    console.error("error: invalid input");
    for (const issue of e.issues) {
      const field = issue.path.map(String).join(".");
      console.error(`  ${field ? `${field}: ` : ""}${issue.message}`);
    }
  } else if (e instanceof CommandFailed) {
    console.error(e.message);
  } else if (isAppError(e) || e instanceof PortalError) {
    console.error(`error: ${e.message}`);
  } else if (process.env.PATCHGATE_DEBUG === "1") {
    console.error(e instanceof Error && e.stack ? e.stack : `error: ${String(e)}`);
  } else {
    console.error(`error: ${summarize(e)}`);
    console.error("(set PATCHGATE_DEBUG=1 to see the stack trace)");
  }
}

function summarize(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  // Prisma's messages open with a code frame of the failing call; the last line says what went wrong.
  if (e.name.startsWith("PrismaClient")) return e.message.trim().split("\n").at(-1) ?? e.message;
  return e.message;
}

// The pg pool keeps idle connections open for a while; without this the process
// would linger after its work is done.
async function disconnect(): Promise<void> {
  try {
    const { db } = await import("../lib/db");
    await db.$disconnect();
  } catch {
    // lib/db could not even load (say, a malformed DATABASE_URL): already reported.
  }
}
