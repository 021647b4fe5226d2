import { ZEnv } from "./env";

// The portal's own settings. A system's tracker secret is read from the
// environment by NAME and sent to the tracker's URL, so naming one of these
// would hand the database password or the session key to whoever runs that
// URL. Derived from ZEnv so a new setting is covered the day it is added.
export const RESERVED_ENV_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(ZEnv.shape),
  "AUTH_URL",
  "NODE_ENV",
  "PATH",
  "HOME",
]);

export function isReservedEnvName(name: string): boolean {
  return RESERVED_ENV_NAMES.has(name.trim().toUpperCase());
}
