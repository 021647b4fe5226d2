import { Command } from "commander";
import { logCheckpointCommand } from "./log-checkpoint";

// Issue #16: the transparency log. `log watch` is a client: no database, no
// token, only the portal's public log endpoints and a state file, so it runs
// from cron on any machine. `log checkpoint` is the operator's, on the portal's
// host (log-checkpoint.ts).

type TWatchOptions = { portal: string; state: string; key?: string; json?: boolean };

async function watch(opts: TWatchOptions): Promise<void> {
  const { watchLog } = await import("../client/log-watch");
  const result = await watchLog(opts);
  if (opts.json) console.log(JSON.stringify({ ok: result.exit === 0, ...result }));
  else if (result.exit === 0) console.log(`log ok: ${result.portal}: ${result.message}`);
  else
    console.error(
      `log ${result.exit === 2 ? "ALARM" : "NOT checked"}: ${result.portal}: ${result.message}`,
    );
  process.exitCode = result.exit;
}

export function logCommand(): Command {
  const log = new Command("log").description(
    "the transparency log: watch it from any machine (watch); print or mail its latest checkpoint on the portal's host (checkpoint)",
  );
  log
    .command("watch")
    .description(
      "fetch the portal's latest checkpoint, verify its signature and its consistency with the one kept in the state file, keep it; exit 2 on a fork, a rollback or a bad signature, 1 when it could not check; one line of output, for cron",
    )
    .requiredOption("--portal <url>", "the portal's base URL, e.g. https://patchgate.example.org")
    .requiredOption(
      "--state <file>",
      "where the last good checkpoint and the pinned note key are kept (created on the first run, mode 0600)",
    )
    .option(
      "--key <file>",
      "the log's note verifier key (the line GET /api/v1/log/key serves, obtained out of band); without it the first run pins the key the portal serves",
    )
    .option("--json", "print one JSON object instead of a line of text")
    .action(watch);
  log.addCommand(logCheckpointCommand());
  return log;
}
