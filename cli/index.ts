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

// Operator commands talk to the database directly (DATABASE_URL) as the
// "cli-bootstrap" system actor; the hotfix commands (and server commands with
// PATCHGATE_URL and PATCHGATE_TOKEN set) act over the API as the token's owner.
// Run it through bin/patchgate.mjs.
const program = new Command("patchgate")
  .description("Patchgate operator commands: bootstrap people and systems, check the audit log")
  .showSuggestionAfterError()
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
