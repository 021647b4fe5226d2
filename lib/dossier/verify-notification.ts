import { isAppError } from "../errors";
import { verifyDetachedSignature } from "../crypto/verify-signature";
import { readStepStatement } from "../domain/step-statement";
import { keyFile, signatureFile } from "./layout";
import type { TDeploymentFile } from "./manifest";
import { utf8Text, type CheckLog } from "./check-log";
import type { TVerifiedStatement } from "./verify-statements";

/**
 * P7, offline: each signed deployment notification's detached signature
 * verifies over the exact bytes of its MIME part (CRLF kept) with the key the
 * dossier carries, and its signer is a critical admin who signed ticks of that
 * deployment with that key's account.
 */
export async function checkNotifications(
  log: CheckLog,
  files: ReadonlyMap<string, Uint8Array>,
  keys: Map<string, string>,
  statements: TVerifiedStatement[],
  deployments: TDeploymentFile["deployments"],
) {
  for (const d of deployments) {
    const n = d.notification;
    if (!n) continue;
    const problems: string[] = [];
    if (n.signature !== signatureFile(n.part))
      problems.push(`its signature should be ${signatureFile(n.part)}, not ${n.signature}`);
    if (n.key !== keyFile(n.fingerprint))
      problems.push(`names key file ${n.key}, not ${keyFile(n.fingerprint)}`);
    const ticks = statements.filter(
      (s) => s.kind === "step" && readStepStatement(s.parsed)?.deploymentId === d.id,
    );
    if (!ticks.some((s) => s.signer.account === n.signer.account))
      problems.push(
        `signed by ${n.signer.email}, who signed no step of deployment ${d.id}: not a critical admin who deployed it`,
      );
    const owner = statements.find((s) => s.fingerprint === n.fingerprint);
    if (owner && owner.signer.account !== n.signer.account)
      problems.push(`key ${n.fingerprint} belongs to ${owner.signer.email}, not ${n.signer.email}`);

    const part = files.get(n.part);
    const signature = files.get(n.signature);
    const armored = signature && utf8Text(signature);
    const key = keys.get(n.fingerprint);
    if (!part) problems.push(`${n.part} is missing`);
    else if (!armored)
      problems.push(signature ? `${n.signature} is not text` : `${n.signature} is missing`);
    else if (!key)
      problems.push(`the key it names (${n.fingerprint}) is not in the dossier or is unusable`);
    else {
      try {
        // Judged as of the server's receipt, like the statements.
        await verifyDetachedSignature({
          statement: part,
          armoredSignature: armored,
          armoredPublicKey: key,
          now: new Date(n.receivedAt),
        });
      } catch (e) {
        problems.push(
          `the notification's signature does not verify: ${n.signature}: ${isAppError(e) ? e.message : (e as Error).message}`,
        );
      }
    }
    log.expect(
      "notification",
      n.part,
      problems,
      `good signature by ${n.fingerprint} (${n.signer.email}, a critical admin of this deployment)`,
    );
  }
}
