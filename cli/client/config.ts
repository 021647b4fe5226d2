import { chmod, mkdir, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { ClientError, EXIT } from "./exit-codes";
import { portalBase } from "./log-client";
import { writePrivateFile } from "./private-file";

// Where the terminal client keeps the portal and the token `patchgate login`
// checked: $XDG_CONFIG_HOME/patchgate/config.json (default ~/.config), the
// directory 0700 and the file 0600, for the token is as good as the person's
// password for what its scope allows. PATCHGATE_URL and PATCHGATE_TOKEN
// override it, each on its own (CI jobs, a second portal for one command).

export const ZClientConfig = z.object({
  portal: z.string().url(),
  token: z.string().min(1),
});
export type TClientConfig = z.infer<typeof ZClientConfig>;

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : path.join(homedir(), ".config");
  return path.join(base, "patchgate");
}

export const configFile = (env: NodeJS.ProcessEnv = process.env) =>
  path.join(configDir(env), "config.json");

export async function readConfig(
  env: NodeJS.ProcessEnv = process.env,
): Promise<TClientConfig | null> {
  const file = configFile(env);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new ClientError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code}`, EXIT.AUTH);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = ZClientConfig.safeParse(json);
  if (!parsed.success)
    throw new ClientError(
      `${file} is not a patchgate client config ({portal, token}): run patchgate login --portal URL again`,
      EXIT.AUTH,
    );
  return parsed.data;
}

/** Written beside the target with mode 0600 and renamed over it: never readable by others, never half. */
export async function writeConfig(
  config: TClientConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const dir = configDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode is masked by the umask and leaves an existing directory as it was.
  await chmod(dir, 0o700);
  const file = configFile(env);
  await writePrivateFile(file, JSON.stringify(config, null, 2) + "\n");
  return file;
}

/** The portal and token a client command uses: the environment's, else the config file's. */
export async function connection(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ portal: string; token: string; from: string }> {
  const saved = env.PATCHGATE_URL && env.PATCHGATE_TOKEN ? null : await readConfig(env);
  const portal = env.PATCHGATE_URL || saved?.portal;
  const token = env.PATCHGATE_TOKEN || saved?.token;
  if (!portal || !token)
    throw new ClientError(
      `not logged in: run patchgate login --portal URL (or set PATCHGATE_URL and PATCHGATE_TOKEN)`,
      EXIT.AUTH,
    );
  let base: string;
  try {
    base = portalBase(portal);
  } catch (e) {
    throw new ClientError(
      `${env.PATCHGATE_URL ? "PATCHGATE_URL" : configFile(env)}: ${(e as Error).message}`,
      EXIT.USAGE,
    );
  }
  const from = env.PATCHGATE_URL && env.PATCHGATE_TOKEN ? "the environment" : configFile(env);
  return { portal: base, token, from };
}
