import "server-only";
import { z } from "zod";
import { cleanId, cleanLine } from "../../domain/input-hygiene";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor, type TPersonActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { env } from "../../env";
import { handStepsDone } from "../../domain/procedures";
import { installedAt } from "../../domain/notification";
import { recordedTarball } from "../../domain/tarball";
import { assertPresentAdmin } from "../../domain/present-admin";
import { notificationPart } from "../../mail/notification";
import { loadOpenDeployment } from "./deployment-facts";

// P7: the notification to the system-log list is the critical admin's own
// signed mail. The portal writes its MIME part; the admin signs exactly those
// bytes; the worker sends them with that signature as PGP/MIME.

export const ZNotificationPart = z.object({
  patchId: cleanId(),
  /** Which of the person's keys the browser dialog should name; any live key may sign. */
  keyFingerprint: cleanLine().trim().toUpperCase().optional(),
});

/** GET .../deployment/notification: the query string. */
export const ZNotificationQuery = z.object({
  key: ZNotificationPart.shape.keyFingerprint.meta({
    description:
      "The fingerprint the X-Key-Fingerprint header should name; any of your keys may sign.",
  }),
});

type TOpen = Awaited<ReturnType<typeof loadOpenDeployment>>;

/** The part for this record, rebuilt from what the hand steps recorded: the same facts, the same bytes. */
export function partOf({ patch, record }: TOpen): string {
  const evidence = (n: number) =>
    (record.steps.find((s) => s.number === n && s.status === "DONE")?.evidence ?? {}) as Record<
      string,
      unknown
    >;
  const base = env().PUBLIC_URL;
  return notificationPart({
    patch: {
      number: patch.number,
      title: patch.title,
      summary: patch.summary,
      bugId: patch.bugId,
      bugSummary: patch.bugSummary,
    },
    system: { name: patch.system.name, slug: patch.system.slug },
    revision: { number: record.revision.number, diffSha256: record.revision.diffSha256 },
    installedAt: installedAt(record.steps) ?? record.openedAt,
    tarball: recordedTarball(evidence(7)),
    commitMessage:
      typeof evidence(6).commitMessage === "string" ? String(evidence(6).commitMessage) : "",
    recordUrl: new URL(`/patches/${patch.id}/deployment`, base).toString(),
  });
}

/** Throws why the notification cannot be signed now; the same checks before and under the lock. */
function assertMaySign(open: TOpen, personId: string, signed: boolean) {
  const { record, steps } = open;
  if (record.state !== "OPEN") throw new AppError("FORBIDDEN", "The deployment is not open.");
  assertPresentAdmin(record, personId);
  if (!handStepsDone(steps)) {
    const next = steps.find((s) => s.applicable && s.number <= 9 && s.status !== "DONE");
    throw new AppError(
      "FORBIDDEN",
      `The notification is signed once every step by hand is done${next ? ` (next: step ${next.number})` : ""}.`,
    );
  }
  if (signed) throw new AppError("CONFLICT", "The notification was already signed and queued.");
}

async function liveKeys(tx: Tx, personId: string) {
  return tx.pgpKey.findMany({
    where: { userId: personId, removedAt: null },
    orderBy: { addedAt: "asc" },
  });
}

export async function loadForSigning(tx: Tx, person: TPersonActor, patchId: string) {
  const open = await loadOpenDeployment(tx, patchId);
  const signed = await tx.deploymentNotification.findUnique({
    where: { recordId: open.record.id },
    select: { id: true },
  });
  assertMaySign(open, person.id, signed !== null);
  return { open, part: partOf(open), keys: await liveKeys(tx, person.id) };
}

/**
 * The exact bytes of the notification's MIME part (CRLF, RFC 3156) for the
 * admin to sign, with the fingerprint of the key the signing dialog should use.
 */
export async function getNotificationPart({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZNotificationPart>) {
  const person = requirePerson(actor);
  authorize(person, "deploy:tick");
  const { patchId, keyFingerprint } = ZNotificationPart.parse(input);
  const { part, keys, open } = await db.$transaction((tx: Tx) =>
    loadForSigning(tx, person, patchId),
  );
  if (keys.length === 0)
    throw new AppError(
      "FORBIDDEN",
      "Register your OpenPGP key first: the notification is signed with it.",
    );
  const key = keys.find((k) => k.fingerprint === keyFingerprint) ?? keys[0];
  return { part, keyFingerprint: key.fingerprint, deploymentId: open.record.id };
}
