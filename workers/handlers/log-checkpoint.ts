import { db } from "../../lib/db";
import { textPart } from "../../lib/mail/mime";
import { systemLogLists } from "../../lib/server/log/mail-checkpoint";
import { noteVerifierKey } from "../../lib/server/log/log-key";
import { completeOutbox } from "../complete-outbox";
import { keyLine, signedMail } from "../mail/compose";
import { domainOf, sendMailOnce } from "../mail/send-once";
import { PermanentError, type THandler } from "./context";

// Issue #16: the checkpoint, mailed to every system-log list, whose archive then
// witnesses the log: a later checkpoint that is not consistent with this one is a
// fork or a rollback (`patchgate verify BUNDLE --checkpoint FILE`, `patchgate log watch`).
// The note itself, its detached OpenPGP signature and the note key are in the body;
// the mail is signed with the portal key like every other mail.

export const sendCheckpoint: THandler<"log.checkpoint"> = async (ctx, outboxId, { treeSize }) => {
  const cp = await db.checkpoint.findUnique({ where: { treeSize: BigInt(treeSize) } });
  if (!cp) throw new PermanentError(`there is no checkpoint of tree size ${treeSize}`);
  const to = await systemLogLists();
  if (to.length > 0) {
    await sendMailOnce(ctx, `mail:log-checkpoint:${outboxId}`, outboxId, async () =>
      signedMail(
        ctx,
        {
          to,
          subject: `Patchgate log checkpoint: ${treeSize} events`,
          messageId: `<patchgate.log-checkpoint.${treeSize}.${outboxId}@${domainOf(ctx.mailFrom)}>`,
        },
        textPart(
          [
            `The Patchgate audit log holds ${treeSize} events. Its signed checkpoint (a C2SP`,
            "signed note) is between the lines below; keep this mail: any later checkpoint must be",
            "consistent with it (patchgate verify BUNDLE --checkpoint FILE, patchgate log watch).",
            "",
            "-----BEGIN CHECKPOINT-----",
            cp.note.trimEnd(),
            "-----END CHECKPOINT-----",
            "",
            "The note key (also at /api/v1/log/key):",
            await noteVerifierKey(),
            "",
            "The portal key's detached signature over the checkpoint's exact bytes",
            "(save the lines between the markers as `checkpoint`, with a final newline):",
            "",
            cp.signature.trim(),
            "",
            `Latest checkpoint: ${new URL("/api/v1/log/checkpoint", ctx.publicUrl)}`,
            "",
            await keyLine(ctx),
            "",
          ].join("\n"),
        ),
      ),
    );
  }
  await completeOutbox(outboxId);
};
