// P7/P8: what the notification to the system-log list says, when the patch
// counts as installed, and where the bug note points. Pure: the portal builds
// the text the admin signs from these, the worker builds the note and the reply.

export type TStepTime = { number: number; status: string; doneAt: Date | null };

/**
 * When the patch was installed: the apply (step 5) when it was done by hand,
 * otherwise the last hand step done before the notification (the signing
 * server may skip step 5). Fixed once the hand steps are done, so the text the
 * admin signs never changes under them.
 */
export function installedAt(steps: readonly TStepTime[]): Date | null {
  const apply = steps.find((s) => s.number === 5 && s.status === "DONE" && s.doneAt);
  if (apply?.doneAt) return apply.doneAt;
  const done = steps
    .filter((s) => s.number <= 9 && s.status === "DONE" && s.doneAt)
    .map((s) => s.doneAt!.getTime());
  return done.length ? new Date(Math.max(...done)) : null;
}

/** "2026-12-02 14:05:09 UTC": a date and a time nobody has to convert from a browser's zone. */
export function formatInstant(at: Date): string {
  return at
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, " UTC");
}

export type TNotificationFacts = {
  patch: { number: number; title: string; summary: string; bugId: string; bugSummary: string };
  system: { name: string; slug: string };
  revision: { number: number; diffSha256: string };
  installedAt: Date;
  tarball: { name: string; sha256: string | null } | null;
  commitMessage: string;
  recordUrl: string;
};

/** The notification's text (seed step 10): summary, tarball, commit message; the admin signs it. */
export function notificationText(f: TNotificationFacts): string {
  return [
    `Patch #${f.patch.number} "${f.patch.title}" was installed on ${f.system.name} (${f.system.slug}) at ${formatInstant(f.installedAt)}.`,
    "",
    "Summary:",
    f.patch.summary,
    "",
    `Bug: #${f.patch.bugId} ${f.patch.bugSummary}`,
    `Revision ${f.revision.number}, diff SHA-256 ${f.revision.diffSha256}`,
    "",
    ...(f.tarball
      ? [
          `New source tarball: ${f.tarball.name}`,
          ...(f.tarball.sha256 ? [`SHA-256 ${f.tarball.sha256}`] : []),
        ]
      : ["No new source tarball was made for this deployment."]),
    "",
    "Commit message:",
    f.commitMessage || "(no commit for this deployment)",
    "",
    `Deployment record: ${f.recordUrl}`,
    "",
    "This mail is signed with the OpenPGP key of the critical admin who installed",
    "the patch; the deployment record names them and the key's fingerprint.",
    "",
  ].join("\n");
}

/**
 * Step 11's pointer to the notification: the list archive when the system
 * has one (a "{messageId}" in its URL becomes the Message-ID, so an archive
 * that finds messages by id links straight to it), else the deployment record.
 */
export function notificationLink(
  archiveUrl: string | null | undefined,
  messageId: string,
  recordUrl: string,
): { url: string; where: "archive" | "record" } {
  if (!archiveUrl) return { url: recordUrl, where: "record" };
  const id = encodeURIComponent(messageId.replace(/^<|>$/g, ""));
  return { url: archiveUrl.split("{messageId}").join(id), where: "archive" };
}
