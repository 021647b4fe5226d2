import { Command } from "commander";
import { auditCommand } from "./commands/audit";
import { hotfixCommand } from "./commands/hotfix";
import { installationCommand } from "./commands/installation";
import { logCommand } from "./commands/log";
import { packageCommand } from "./commands/package";
import { serverCommand } from "./commands/server";
import { systemCommand } from "./commands/system";
import { updateCommand } from "./commands/update";
import { userCommand } from "./commands/user";
import { verifyCommand } from "./commands/verify";
import { loginCommandOf } from "./commands/login";
import { queueCommandOf } from "./commands/queue";
import { patchCommandOf } from "./commands/patch";
import { signCommandOf } from "./commands/sign";
import { evidenceCommandOf } from "./commands/evidence";
import { disputeCommandOf, emergencyCommandOf } from "./commands/emergency";
import { usageExits } from "./client/run-client";

// Two kinds of commands (docs/cli.md). Client commands talk to a portal over
// /api/v1 as the person whose token `patchgate login` stored (or PATCHGATE_URL
// and PATCHGATE_TOKEN), sign with that person's own GnuPG, and never need the
// database. Operator commands talk to the database directly (DATABASE_URL) as
// the "cli-bootstrap" system actor; the hotfix commands (and server commands
// with PATCHGATE_URL and PATCHGATE_TOKEN set) act over the API as the token's
// owner. Run it through bin/patchgate.mjs.
const program = new Command("patchgate")
  .description(
    "Patchgate from a terminal: client commands act as you on a portal; operator commands bootstrap people and systems and check the audit log",
  )
  .showSuggestionAfterError();

program.commandsGroup("Client commands (a portal, as you; patchgate login first):");
for (const cmd of [
  loginCommandOf(),
  queueCommandOf(),
  patchCommandOf(),
  signCommandOf(),
  evidenceCommandOf(),
  emergencyCommandOf(),
  disputeCommandOf(),
])
  program.addCommand(usageExits(cmd));

program
  .commandsGroup("Operator commands (the database, DATABASE_URL):")
  .addCommand(userCommand())
  .addCommand(systemCommand())
  .addCommand(serverCommand())
  .addCommand(hotfixCommand())
  .addCommand(installationCommand())
  .addCommand(packageCommand())
  .addCommand(updateCommand())
  .addCommand(auditCommand())
  .addCommand(logCommand())
  .addCommand(verifyCommand());

await program.parseAsync();
