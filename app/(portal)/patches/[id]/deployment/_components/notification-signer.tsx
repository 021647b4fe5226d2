"use client";

import { notificationPartAction, signNotificationAction } from "@/lib/actions/deployments";
import { StatementSigner } from "@/app/_components/signing/statement-signer";
import styles from "./checklist.module.css";

/**
 * P7: the last thing the admin does by hand. The portal wrote the
 * notification to the system-log list; the admin signs its MIME part, byte for
 * byte, with their own key, and the worker sends it as PGP/MIME with that
 * signature (then updates the bug, replies and mirrors).
 */
export function NotificationSigner({ patchId }: { patchId: string }) {
  return (
    <section
      className={styles.notify}
      aria-labelledby="notify-title"
      data-testid="notification-signer"
    >
      <h2 id="notify-title">Sign the notification to the system-log list</h2>
      <p>
        The portal wrote the notification to the system-log list: the summary, the bug, the tarball
        with its SHA-256 and the commit message. It goes out as your own signed mail, so readers of
        the list check it against your key. Once you sign it, the worker sends it, sets the bug to
        “Solved?”, replies to the assessment team and mirrors the tarball.
      </p>
      <p className="small muted">
        Over the API: <code>GET /api/v1/patches/{patchId}/deployment/notification</code> returns the
        exact bytes; sign them with <code>gpg --armor --detach-sign notification.eml</code> and POST{" "}
        <code>{"{ signature }"}</code> to the same address.
      </p>
      <StatementSigner
        label="Sign the notification"
        fileName="notification.eml"
        issue={(keyFingerprint) => notificationPartAction({ patchId, keyFingerprint })}
        record={(_part, signature) => signNotificationAction({ patchId, signature })}
        intro={
          <p className="small muted">
            You sign exactly this MIME part, byte for byte (CRLF line ends, quoted-printable, as RFC
            3156 has it). The worker sends these bytes with your signature.
          </p>
        }
        form={
          <p className="small">
            The server hands you the notification’s MIME part; you sign it with your own key in this
            browser or with GnuPG.
          </p>
        }
      />
    </section>
  );
}
