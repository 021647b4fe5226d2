import { detachSign, makeSigner, signoff, type TSigner } from "../signers";
import { sampleDiff } from "../diffs";
import { submitPatch } from "../../lib/server/patches/submit-patch";
import { openDeployment } from "../../lib/server/deployments/open-deployment";
import { tickStep } from "../steps";
import { getNotificationPart } from "../../lib/server/deployments/notification";
import { signNotification } from "../../lib/server/deployments/sign-notification";
import { sha256Hex } from "../../lib/crypto/hash";

/** The critical admin signs the notification's MIME part (P7), as the browser or gpg does. */
export async function signTheNotification(admin: TSigner, patchId: string) {
  const { part } = await getNotificationPart({ actor: admin, patchId });
  return signNotification({
    actor: admin,
    patchId,
    signature: await detachSign(admin.privateKey, part),
  });
}

/** A webdb patch taken through both gates and the request, its deployment opened by a critical admin. */
async function openedDeployment(system: string, bugId: string) {
  const [dev, a1, a2, a3, t1, t2, ca] = await Promise.all([
    makeSigner(["DEVELOPER"]),
    makeSigner(["ASSESSOR"]),
    makeSigner(["ASSESSOR"]),
    makeSigner(["ASSESSOR"]),
    makeSigner(["TESTER"]),
    makeSigner(["TESTER"]),
    makeSigner(["CRITICAL_ADMIN"]),
  ]);
  const p = await submitPatch({
    actor: dev,
    system,
    title: "Fix domain listing",
    summary: "Revoked server certificates were hidden from the list.",
    bugId,
    bugSummary: "If I delete Domains, no Servercerts are listed",
    diff: sampleDiff(),
  });
  await signoff(dev, p.id, "submit");
  await signoff(a1, p.id, "review", "approve");
  await signoff(a2, p.id, "review", "approve");
  await signoff(t1, p.id, "test", "pass");
  await signoff(t2, p.id, "test", "pass");
  await signoff(a3, p.id, "request");
  const record = await openDeployment({ actor: ca, patchId: p.id });
  return { p, record, ca };
}

/**
 * A webdb patch taken through both gates, the request and hand steps 1–8 by
 * the real use-cases, each tick signed (X1). `finish()` ticks step 9 and has
 * the admin sign the notification, which writes the worker steps' outbox rows.
 * Step 7 binds the tarball to `tarballSha256` (by default the hash of no bytes).
 */
export async function deploymentUpToStep9(
  system: string,
  tarball: string,
  bugId = "1234",
  tarballSha256 = sha256Hex(""),
) {
  const { p, record, ca } = await openedDeployment(system, bugId);
  const steps: [number, Record<string, unknown>][] = [
    [1, {}],
    [2, {}],
    [3, { checksumMatched: true }],
    [4, { assessment: "Low risk", webServerStopped: false }],
    [5, { output: "patching file www/account.php", result: "clean" }],
    [
      6,
      { commitMessage: `Fix for bug #${bugId}\n"If I delete Domains, no Servercerts are listed".` },
    ],
    [7, { tarball, tarballSha256 }],
    [8, {}],
  ];
  for (const [number, evidence] of steps)
    await tickStep({ actor: ca, patchId: p.id, number, evidence });
  return {
    patch: p,
    deploymentId: record.id,
    admin: ca,
    finish: async () => {
      await tickStep({ actor: ca, patchId: p.id, number: 9, evidence: {} });
      return signTheNotification(ca, p.id);
    },
  };
}

/**
 * A webdb deployment whose apply failed (P5): steps 1–4 ticked (step 4 with
 * the web server stopped or not), step 5 signed as failed with `apply`.
 */
export async function failedDeployment(
  system: string,
  webServerStopped: boolean,
  apply: Record<string, unknown>,
) {
  const { p, record, ca } = await openedDeployment(system, "1234");
  const steps: [number, Record<string, unknown>][] = [
    [1, {}],
    [2, {}],
    [3, { checksumMatched: true }],
    [4, { assessment: "Touches the account page", webServerStopped }],
    [5, { result: "failed", ...apply }],
  ];
  for (const [number, evidence] of steps)
    await tickStep({ actor: ca, patchId: p.id, number, evidence });
  return { patch: p, deploymentId: record.id };
}
