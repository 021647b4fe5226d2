import "server-only";
import { z } from "zod";
import { cleanLine } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { isReservedEnvName } from "../../env-reserved";
import { appendAuditEvent } from "../audit/append-event";

// Per-system configuration of the worker steps (P7–P9). Secrets are never
// stored: only the NAME of the environment variable that holds the tracker
// token or webhook secret, and the PATH of the SSH private key.
const ZSftpUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return (
        u.protocol === "sftp:" &&
        !!u.hostname &&
        !!u.username &&
        !u.password &&
        u.pathname.length > 1
      );
    } catch {
      return false;
    }
  }, "Mirror: sftp://user@host:port/path (no password in the URL)");

export const ZSetSystem = z.object({
  slug: cleanLine().trim().min(1),
  systemLogAddress: z.string().trim().email().optional(),
  assessmentTeamAddress: z.string().trim().email().optional(),
  trackerKind: z.enum(["MANTIS", "WEBHOOK"]).optional(),
  trackerUrl: cleanLine()
    .trim()
    .url()
    .refine((s) => /^https?:\/\//.test(s), "Tracker URL: http(s) only")
    .optional(),
  trackerSecretEnv: z
    .string()
    .trim()
    .regex(
      /^[A-Z_][A-Z0-9_]{0,100}$/,
      "Secret: the NAME of an environment variable (A-Z, 0-9, _), not the secret",
    )
    .refine(
      (name) => !isReservedEnvName(name),
      "Secret: that variable is one of the portal's own settings; name one that holds only the tracker's secret",
    )
    .optional(),
  // P8: the system-log list's web archive; "{messageId}" becomes the notification's Message-ID.
  listArchiveUrl: cleanLine()
    .trim()
    .url()
    .refine((s) => /^https?:\/\//.test(s), "List archive URL: http(s) only")
    .optional(),
  mirror: z
    .object({
      url: ZSftpUrl,
      hostKeySha256: z
        .string()
        .trim()
        .regex(
          /^SHA256:[A-Za-z0-9+/]{43}=?$/,
          "Host key: the SHA256:... fingerprint (ssh-keygen -lf)",
        ),
      privateKeyPath: cleanLine()
        .trim()
        .startsWith("/", "SSH key: an absolute path on the worker's machine"),
    })
    .optional(),
});

/** Sets what is given and leaves the rest; a mirror with the same URL is replaced, not doubled. */
export async function setSystem({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZSetSystem>) {
  authorize(actor, "systems:manage");
  const { slug, mirror, ...fields } = ZSetSystem.parse(input);
  const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  if (Object.keys(changes).length === 0 && !mirror)
    throw new AppError("VALIDATION", "Nothing to set.");
  return db.$transaction(async (tx: Tx) => {
    const system = await tx.targetSystem.findUnique({ where: { slug } });
    if (!system) throw new AppError("NOT_FOUND", `No system ${slug}.`);
    await tx.targetSystem.update({ where: { id: system.id }, data: changes });
    if (mirror) {
      await tx.mirrorTarget.deleteMany({ where: { systemId: system.id, url: mirror.url } });
      await tx.mirrorTarget.create({ data: { systemId: system.id, ...mirror } });
    }
    await appendAuditEvent(tx, {
      actor,
      action: "system.updated",
      subjectType: "system",
      subjectId: system.id,
      payload: { slug, changes: { ...changes, ...(mirror ? { mirror } : {}) } },
    });
    return tx.targetSystem.findUniqueOrThrow({
      where: { id: system.id },
      include: { mirrors: true },
    });
  });
}
