import { ClientError, EXIT } from "./exit-codes";
import { confirm, pausePrompts } from "./prompt";
import { signWithGpg, signWithKeyFile } from "./sign-statement";
import type { TPortalClient } from "./portal-client";

// One signature from start to end, for a patch, an emergency or a dispute: the
// portal issues the statement (its bytes are what is signed), the person reads
// it and says yes, their key signs it, the portal records it. A "no" sends
// nothing: the unused statement simply expires.

export type TSignOptions = {
  yes?: boolean;
  localUser?: string;
  key?: string;
  json?: boolean;
};

const FINGERPRINT = /^(?:0x)?([0-9A-Fa-f]{40})$/;

/** --local-user given as a fingerprint also tells the portal which registered key the statement names. */
export function keyFingerprintOf(opts: TSignOptions): string | undefined {
  const m = opts.localUser ? FINGERPRINT.exec(opts.localUser.replace(/\s+/g, "")) : null;
  return m ? m[1].toUpperCase() : undefined;
}

export async function signAndSend<T>(
  client: TPortalClient,
  opts: TSignOptions,
  ask: { statementPath: string; body: Record<string, unknown> },
  send: { signoffPath: string; body?: Record<string, unknown> },
): Promise<{ answer: T; statement: string; keyFingerprint: string | null }> {
  if (opts.key && opts.localUser)
    throw new ClientError(
      "give --local-user (gpg) or --key FILE (openpgp.js), not both",
      EXIT.USAGE,
    );
  const issued = await client.text("POST", ask.statementPath, ask.body);
  const keyFingerprint = issued.headers.get("x-key-fingerprint");
  const expires = issued.headers.get("x-statement-expires-at");
  // With --json, stdout is for the JSON answer alone: the statement goes to stderr.
  const show = opts.json
    ? (s: string) => process.stderr.write(s)
    : (s: string) => process.stdout.write(s);
  show(`${issued.text}${issued.text.endsWith("\n") ? "" : "\n"}`);
  show(
    `-- to be signed with key ${keyFingerprint ?? "(not named)"}${expires ? `, valid until ${expires}` : ""}\n`,
  );
  if (!opts.yes && !(await confirm("Sign? [y/N] ")))
    throw new ClientError("not signed: nothing was sent", EXIT.DECLINED, "DECLINED");
  pausePrompts();
  const signature = opts.key
    ? await signWithKeyFile(issued.bytes, opts.key)
    : await signWithGpg(issued.bytes, opts.localUser);
  const answer = await client.json<T>("POST", send.signoffPath, {
    ...send.body,
    statement: issued.text,
    signature,
  });
  return { answer, statement: issued.text, keyFingerprint };
}
