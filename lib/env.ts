import { z } from "zod";
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL } from "./env-defaults";

// The environment, parsed once; shared by the app, the CLI and the workers.
export const ZEnv = z.object({
  DATABASE_URL: z.string().url().default(DEFAULT_DATABASE_URL),
  REDIS_URL: z.string().url().default(DEFAULT_REDIS_URL),
  AUTH_SECRET: z.string().min(16).optional(),
  MAX_DIFF_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  PUBLIC_URL: z.string().url().default("http://localhost:3000"),
});
export type TEnv = z.infer<typeof ZEnv>;

let cached: TEnv | undefined;

export function env(): TEnv {
  if (cached) return cached;
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  cached = parsed.data;
  return cached;
}
