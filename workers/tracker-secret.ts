import { isReservedEnvName } from "../lib/env-reserved";
import { PermanentError } from "./handlers/context";

/**
 * Reads a tracker secret by the NAME stored for the system. setSystem refuses
 * the portal's own settings; this refuses them again for rows written before
 * that check, or straight into the database.
 */
export function readTrackerSecret(
  name: string,
  environ: Record<string, string | undefined> = process.env,
): string | undefined {
  if (isReservedEnvName(name))
    throw new PermanentError(
      `the environment variable ${name} is one of the portal's own settings; it is never sent to a tracker`,
    );
  return environ[name];
}
