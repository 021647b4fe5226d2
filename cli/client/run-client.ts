import { Command, CommanderError } from "commander";
import { ZodError } from "zod";
import { ClientError, EXIT, type TExit } from "./exit-codes";
import { PortalError, portalClient, type TPortalClient } from "./portal-client";
import { connection } from "./config";
import { closePrompts } from "./prompt";

// What every client command shares: the portal connection, the patch number
// people see turned into the API's id, human output or --json, and one report
// of a failure with an exit status that says what kind (./exit-codes.ts).
// Client commands never load lib/db: they run on any machine with a token.

export type TJsonOption = { json?: boolean };

/** The exit status for a portal's refusal, by its HTTP status. */
export function exitOfStatus(status: number): TExit {
  if (status === 0 || status >= 500) return EXIT.UNREACHABLE;
  if (status === 401) return EXIT.AUTH;
  if (status === 404) return EXIT.NOT_FOUND;
  return EXIT.FAILED;
}

function report(e: unknown, json: boolean): TExit {
  let exit: TExit = EXIT.FAILED;
  let code = "FAILED";
  let message: string;
  if (e instanceof ClientError) {
    exit = e.exit;
    code = e.code ?? Object.entries(EXIT).find(([, v]) => v === e.exit)?.[0] ?? code;
    message = e.message;
  } else if (e instanceof PortalError) {
    exit = exitOfStatus(e.status);
    code = e.code ?? (e.status === 0 ? "UNREACHABLE" : `HTTP_${e.status}`);
    message =
      e.status === 401
        ? `${e.message} (run patchgate login again, or check PATCHGATE_TOKEN)`
        : e.message;
  } else if (e instanceof ZodError) {
    exit = EXIT.USAGE;
    code = "USAGE";
    message = e.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
  } else {
    message = e instanceof Error ? e.message : String(e);
    if (process.env.PATCHGATE_DEBUG === "1" && e instanceof Error && e.stack)
      console.error(e.stack);
  }
  console.error(`error: ${message}`);
  if (json) console.log(JSON.stringify({ error: { code, message, exit } }, null, 2));
  return exit;
}

/** Wraps a client command's action: the failure printed once, the exit status set. */
export function runClient<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    const cmd = args.at(-1) as Command;
    const json = Boolean(cmd.optsWithGlobals?.().json);
    try {
      await action(...args);
    } catch (e) {
      process.exitCode = report(e, json);
    } finally {
      closePrompts();
    }
  };
}

/**
 * Usage errors (a missing flag, an unknown option, a missing argument) exit 2,
 * not commander's 1, so a script tells "I called it wrong" from "the portal
 * said no". Applied to a client command and every command under it.
 */
export function usageExits(cmd: Command): Command {
  cmd.exitOverride((err: CommanderError) => {
    process.exit(err.exitCode === 0 ? 0 : EXIT.USAGE);
  });
  for (const sub of cmd.commands) usageExits(sub);
  return cmd;
}

/** The portal client for the logged-in person (or PATCHGATE_URL and PATCHGATE_TOKEN). */
export async function openClient(): Promise<TPortalClient> {
  const c = await connection();
  return portalClient({ PATCHGATE_URL: c.portal, PATCHGATE_TOKEN: c.token });
}

/** `12` or `#12`: the number people see. */
export function numberArg(value: string, what = "patch"): number {
  const m = /^#?(\d{1,10})$/.exec(value.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647)
    throw new ClientError(`${value} is not a ${what} number (e.g. 12 or #12)`, EXIT.USAGE);
  return n;
}

/** The API's id of patch #N (GET /patches?number=N). */
export async function patchIdByNumber(client: TPortalClient, number: number): Promise<string> {
  const page = await client.json<{ patches: { id: string; number: number }[] }>(
    "GET",
    `/patches?number=${number}`,
  );
  const found = page.patches.find((p) => p.number === number);
  if (!found) throw new ClientError(`there is no patch #${number}`, EXIT.NOT_FOUND, "NOT_FOUND");
  return found.id;
}

/** JSON on stdout with --json, else the lines for people. */
export function output(opts: TJsonOption, json: unknown, lines: () => string[]): void {
  if (opts.json) console.log(JSON.stringify(json, null, 2));
  else for (const line of lines()) console.log(line);
}
