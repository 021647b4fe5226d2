import { z } from "zod";
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL } from "./env-defaults";

// The environment, parsed once; shared by the app, the CLI and the workers.
export const ZEnv = z.object({
  DATABASE_URL: z.string().url().default(DEFAULT_DATABASE_URL),
  REDIS_URL: z.string().url().default(DEFAULT_REDIS_URL),
  AUTH_SECRET: z.string().min(1).optional(),
  // The absolute lifetime of a sign-in session; renewal never extends it (issue 11, finding 2).
  SESSION_MAX_AGE_HOURS: z.coerce.number().positive().max(720).default(12),
  // Reverse proxies in front of the portal that append to X-Forwarded-For; 0 = reached directly
  // (the header is then ignored, and the per-address sign-in limit is off). docs/configuration.md.
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  MAX_DIFF_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024),
  PUBLIC_URL: z.string().url().default("http://localhost:3000"),
  // The transparency log's origin line and note key name; default `<host of PUBLIC_URL>/patchgate-log`
  // (docs/transparency-log.md "Checkpoints"). No spaces and no "+" (a C2SP key name).
  LOG_ORIGIN: z
    .string()
    .regex(/^[^\s+]+$/, "a key name such as example.org/patchgate-log")
    .optional(),
  // Workers (docs/workers.md).
  SMTP_URL: z.string().url().default("smtp://127.0.0.1:1025"),
  // A bare address (local domains such as patchgate@localhost are fine); the display name is ours.
  MAIL_FROM: z
    .string()
    .regex(/^[^\s@<>"]+@[^\s@<>"]+$/, "a bare address such as patchgate@example.org")
    .default("patchgate@localhost"),
  // How long the set-your-password link mailed for an account made in the portal works.
  PASSWORD_LINK_HOURS: z.coerce.number().positive().max(720).default(72),
  // Hours before the 24-hour deadline at which escalation notices go out.
  EMERGENCY_ESCALATION_MARKS: z
    .string()
    .regex(
      /^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/,
      "hours before the deadline, comma-separated, e.g. 12,6,2",
    )
    .optional(),
  PORTAL_KEY_PASSPHRASE: z.string().min(12).optional(),
  TARBALL_DIR: z.string().min(1).optional(),
  // The largest source tarball an admin may upload at step 7 (P9).
  MAX_TARBALL_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024 * 1024),
  // Update packages (U1): the drop directory the worker watches (one folder per installation
  // slug), and the largest package taken in over any channel.
  UPDATE_INBOX_DIR: z.string().min(1).optional(),
  // How often the worker looks into UPDATE_INBOX_DIR; a file is taken once two looks agree on it.
  UPDATE_INBOX_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(2_000),
  MAX_PACKAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(128 * 1024 * 1024),
  BULLMQ_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]+$/)
    .default("patchgate"),
  // How long a job stays claimed by a worker that died (BullMQ's lock; the stalled check runs as often).
  WORKER_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
  // Release updates (S3): how long the worker's HTTPS check waits to connect and finish the
  // TLS handshake before it records "no answer" (docs/release-updates.md "The HTTPS check").
  HTTPS_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
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

// A fixed passphrase is only acceptable off production: there it must be set.
const DEV_PORTAL_KEY_PASSPHRASE = "patchgate-dev-only-passphrase";

/** The secret that encrypts the portal's private key at rest (P7). */
export function portalKeyPassphrase(): string {
  const set = env().PORTAL_KEY_PASSPHRASE;
  if (set) return set;
  if (process.env.NODE_ENV === "production")
    throw new Error("PORTAL_KEY_PASSPHRASE must be set in production.");
  return DEV_PORTAL_KEY_PASSPHRASE;
}
