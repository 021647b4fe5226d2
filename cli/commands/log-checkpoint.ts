import { Command } from "commander";
import { runCommand } from "../run-command";

// Issue #16, operator side: `patchgate log checkpoint [--mail]` on the portal's host
// (it reads the database, like `patchgate audit verify`). `log watch` is the client side.

async function checkpoint(opts: { mail?: boolean }): Promise<void> {
  // Loaded here, not at the top, so --help and argument errors never load Prisma.
  const { CLI_BOOTSTRAP } = await import("../../lib/auth/actor");
  const { latestCheckpoint } = await import("../../lib/server/log/proofs");
  const cp = await latestCheckpoint();
  process.stdout.write(cp.note);
  if (!opts.mail) return;
  const { mailCheckpointNow } = await import("../../lib/server/log/mail-checkpoint");
  const queued = await mailCheckpointNow({ actor: CLI_BOOTSTRAP });
  if (!queued) console.error("not mailed: no system has a system-log list address");
  else
    console.error(
      `checkpoint of ${queued.treeSize} events queued for ${queued.to.join(", ")}; the worker signs and sends it`,
    );
}

/** The `checkpoint` subcommand of `patchgate log`. */
export function logCheckpointCommand(): Command {
  return new Command("checkpoint")
    .description(
      "print the latest signed checkpoint (made now if events are not yet covered); with --mail, also queue it, signed, to every system-log list",
    )
    .option("--mail", "mail it to every system-log list now (the worker sends it)")
    .action(runCommand(checkpoint));
}
