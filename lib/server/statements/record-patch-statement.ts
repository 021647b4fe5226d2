import "server-only";
import type { z } from "zod";
import type { TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { parseStatement } from "../../domain/statements";
import { recordSignoff, ZSignedStatement } from "../patches/record-signoff";
import { recordPresence } from "../deployments/record-presence";
import { withdrawPatch } from "../patches/withdraw-patch";

export type TRecordedPatchStatement =
  | {
      kind: "presence";
      presence: Awaited<ReturnType<typeof recordPresence>>;
      signoff?: never;
      withdrawal?: never;
    }
  | {
      kind: "withdraw";
      withdrawal: Awaited<ReturnType<typeof withdrawPatch>>;
      signoff?: never;
      presence?: never;
    }
  | {
      kind: string;
      signoff: Awaited<ReturnType<typeof recordSignoff>>;
      presence?: never;
      withdrawal?: never;
    };

/**
 * A signed statement about a patch, from the portal or the API: presence at a
 * signing-server visit goes to the visit record, a withdraw withdraws the patch,
 * every other kind is a sign-off of the patch. The kind is read from the text only to choose the use-case;
 * each one verifies the signature and checks the issued nonce's kind itself.
 * `patchId`, where the caller names a patch (the API's URL), must be the
 * statement's own.
 */
export async function recordPatchStatement({
  actor,
  patchId,
  ...input
}: { actor: TActor; patchId?: string } & z.input<
  typeof ZSignedStatement
>): Promise<TRecordedPatchStatement> {
  const { statement, signature } = ZSignedStatement.parse(input);
  const parsed = parseStatement(statement);
  if (patchId !== undefined && parsed && parsed.patch !== patchId) {
    throw new AppError(
      "SIGNATURE_REFUSED",
      "The statement is for another patch than the one in the URL.",
      { reason: "other-patch" },
    );
  }
  if (parsed?.kind === "presence")
    return {
      kind: "presence",
      presence: await recordPresence({ actor, statement, signature }),
    };
  if (parsed?.kind === "withdraw")
    return { kind: "withdraw", withdrawal: await withdrawPatch({ actor, statement, signature }) };
  const signoff = await recordSignoff({ actor, statement, signature });
  return { kind: signoff.kind.toLowerCase(), signoff };
}
