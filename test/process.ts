import { submitPatch } from "../lib/server/patches/submit-patch";
import { issueStatement } from "../lib/server/statements/issue-statement";
import { recordPresence } from "../lib/server/deployments/record-presence";
import { openDeployment } from "../lib/server/deployments/open-deployment";
import { addSystem } from "../lib/server/systems/add-system";
import { CLI_BOOTSTRAP } from "../lib/auth/actor";
import { detachSign, makeSigner, signoff, type TSigner } from "./signers";
import { sampleDiff } from "./diffs";

// The people of one standard process, and the path to a requested patch, as
// the integration tests share them.
export type TTeam = Record<
  "dev" | "a1" | "a2" | "a3" | "t1" | "t2" | "ca1" | "ca2" | "ca3" | "ae",
  TSigner
>;

export async function makeTeam(): Promise<TTeam> {
  const roles = [
    "DEVELOPER",
    "ASSESSOR",
    "ASSESSOR",
    "ASSESSOR",
    "TESTER",
    "TESTER",
    "CRITICAL_ADMIN",
    "CRITICAL_ADMIN",
    "CRITICAL_ADMIN",
    "ACCESS_ENGINEER",
  ] as const;
  const [dev, a1, a2, a3, t1, t2, ca1, ca2, ca3, ae] = await Promise.all(
    roles.map((r) => makeSigner([r])),
  );
  return { dev, a1, a2, a3, t1, t2, ca1, ca2, ca3, ae };
}

/** The two systems of the process tests: webdb and the signing server (P6). */
export async function addProcessSystems() {
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
  await addSystem({
    actor: CLI_BOOTSTRAP,
    slug: "signer",
    name: "signing server",
    procedure: "SIGNING_SERVER",
  });
}

export const PATCH_FIELDS = {
  title: "Fix domain listing",
  summary: "Revoked server certs were hidden.",
  bugId: "1234",
  bugSummary: "If I delete Domains, no Servercerts are listed",
};

/** Submitted by dev, approved by a1 and a2, passed by t1 and t2, requested by a3. */
export async function requestedPatch(t: TTeam, system = "webdb") {
  const p = await submitPatch({ actor: t.dev, system, ...PATCH_FIELDS, diff: sampleDiff() });
  await signoff(t.dev, p.id, "submit");
  await signoff(t.a1, p.id, "review", "approve", "Read every line.");
  await signoff(t.a2, p.id, "review", "approve");
  await signoff(t.t1, p.id, "test", "pass", "Tested on test1.");
  await signoff(t.t2, p.id, "test", "pass");
  await signoff(t.a3, p.id, "request");
  return p;
}

/** The signing-server visit: each of them signs their presence on the open deployment. */
export async function recordVisit(patchId: string, present: TSigner[]) {
  for (const who of present) {
    const { statement } = await issueStatement({ actor: who, patchId, kind: "presence" });
    await recordPresence({
      actor: who,
      statement,
      signature: await detachSign(who.privateKey, statement),
    });
  }
}

/** A requested signing-server patch with its deployment open and the visit of ca1, ca2 and ae recorded. */
export async function visitRecorded(t: TTeam, system = "signer") {
  const p = await requestedPatch(t, system);
  await openDeployment({ actor: t.ca1, patchId: p.id });
  await recordVisit(p.id, [t.ca1, t.ca2, t.ae]);
  return p;
}
