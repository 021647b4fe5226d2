import { Command } from "commander";
import { auditCommand } from "./commands/audit";
import { systemCommand } from "./commands/system";
import { userCommand } from "./commands/user";
import { verifyCommand } from "./commands/verify";

// Operator CLI: talks to the database directly (DATABASE_URL) as the
// "cli-bootstrap" system actor. Run it through bin/patchgate.mjs.
const program = new Command("patchgate")
  .description("Patchgate operator commands: bootstrap people and systems, check the audit log")
  .showSuggestionAfterError()
  .addCommand(userCommand())
  .addCommand(systemCommand())
  .addCommand(auditCommand())
  .addCommand(verifyCommand());

await program.parseAsync();
