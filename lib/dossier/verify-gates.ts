import {
  authorsOf,
  derivePatchState,
  type TSignoffKind,
  type TVerdict,
} from "../domain/patch-state";
import { buildPatchFacts, type TPatchFactsSource } from "../domain/patch-facts";
import { visitQuorum } from "../domain/procedures";
import type { TDeploymentFile, TManifest } from "./manifest";
import type { CheckLog } from "./check-log";
import type { TVerifiedStatement } from "./verify-statements";
import { fastPathFacts, type TVerifiedFastPath } from "./verify-fast-path";

const AFTER_REQUEST = ["REQUESTED", "DEPLOYING", "DEPLOYED", "REWORK"];
/** The statements that are votes of the gates; presence and step statements are not. */
const SIGNOFF_KINDS: string[] = ["submit", "review", "test", "request"];

/**
 * The dossier's records in the shape the portal's rules read (the caller picks
 * revision and deployment). E3: option 1's verified statements stand for the
 * sign-offs of a fast-path patch.
 */
export function recorded(
  manifest: TManifest,
  statements: TVerifiedStatement[],
  fastPath: readonly TVerifiedFastPath[] = [],
): Omit<TPatchFactsSource, "revision" | "deployment"> {
  return {
    authorId: manifest.patch.author,
    revisions: manifest.revisions.map((r) => ({ number: r.number, uploadedById: r.uploadedBy })),
    policy: manifest.policy,
    signoffs: statements
      .filter((s) => SIGNOFF_KINDS.includes(s.kind))
      .map((s) => ({
        kind: s.kind.toUpperCase() as TSignoffKind,
        verdict: s.verdict.toUpperCase() as TVerdict,
        signerId: s.signer.account,
        revision: s.revision,
      }))
      .concat(fastPathFacts(manifest, fastPath)),
    ...(manifest.fastPath
      ? { fastPath: { emergencyNumber: manifest.fastPath.emergency.number } }
      : {}),
    // A patch is withdrawn by its signed withdraw statement, not by the recorded state.
    withdrawn: statements.some((s) => s.kind === "withdraw"),
  };
}

/**
 * Distinct people: a key belongs to one account, an account has one address,
 * one person votes once per revision (in one gate), and the author or uploader
 * never signs a review, test or request of their own revision.
 */
export function checkPeople(
  log: CheckLog,
  manifest: TManifest,
  statements: TVerifiedStatement[],
  fastPath: readonly TVerifiedFastPath[] = [],
) {
  const problems: string[] = [];
  const accountOfKey = new Map<string, string>();
  const emailOfAccount = new Map<string, string>();
  const accountOfEmail = new Map<string, string>();
  for (const s of [...statements, ...fastPath]) {
    const owner = accountOfKey.get(s.fingerprint) ?? s.signer.account;
    if (owner !== s.signer.account)
      problems.push(`key ${s.fingerprint} signed for two accounts (${owner}, ${s.signer.account})`);
    accountOfKey.set(s.fingerprint, owner);
    const email = emailOfAccount.get(s.signer.account) ?? s.signer.email;
    if (email !== s.signer.email)
      problems.push(
        `account ${s.signer.account} appears with two addresses (${email}, ${s.signer.email})`,
      );
    emailOfAccount.set(s.signer.account, email);
    const account = accountOfEmail.get(s.signer.email) ?? s.signer.account;
    if (account !== s.signer.account) problems.push(`${s.signer.email} appears as two accounts`);
    accountOfEmail.set(s.signer.email, account);
  }
  const source = recorded(manifest, statements, fastPath);
  for (const rev of manifest.revisions) {
    // The portal's own rule: the author and whoever uploaded this or an earlier revision never count.
    const own = authorsOf(buildPatchFacts({ ...source, revision: rev.number, deployment: null }));
    const onRev = statements.filter((s) => s.revision === rev.number);
    const votes = new Map<string, string>();
    for (const s of onRev) {
      if (
        (s.kind === "review" || s.kind === "test" || s.kind === "request") &&
        own.has(s.signer.account)
      ) {
        problems.push(
          `${s.file}: the author or uploader signed a ${s.kind} of their own revision ${rev.number}`,
        );
      }
      if (s.kind === "submit" && s.signer.account !== rev.uploadedBy)
        problems.push(
          `${s.file}: revision ${rev.number} was submitted by someone other than its uploader`,
        );
      if (s.kind !== "review" && s.kind !== "test") continue;
      const earlier = votes.get(s.signer.account);
      if (earlier)
        problems.push(
          `${s.file}: ${s.signer.email} already voted on revision ${rev.number} (${earlier}); one person counts once`,
        );
      else votes.set(s.signer.account, s.file);
    }
    // E3: option 1's statements on this revision's diff: prepared by its uploader, one gate per person.
    for (const f of fastPath.filter((f) => f.sha256 === rev.sha256)) {
      if (f.kind === "option1-patch") {
        if (f.signer.account !== rev.uploadedBy)
          problems.push(
            `${f.file}: revision ${rev.number} was prepared by someone other than its uploader`,
          );
        continue;
      }
      if (own.has(f.signer.account))
        problems.push(
          `${f.file}: the author or a preparer signed the ${f.gate} gate of their own revision ${rev.number}`,
        );
      const earlier = votes.get(f.signer.account);
      if (earlier)
        problems.push(
          `${f.file}: ${f.signer.email} already filled a gate of revision ${rev.number} (${earlier}); one person fills one gate`,
        );
      else votes.set(f.signer.account, f.file);
    }
  }
  log.expect(
    "people",
    "signers",
    problems,
    `${accountOfKey.size} key(s) of ${emailOfAccount.size} distinct people; nobody votes twice or on their own patch`,
  );
}

type TDeployment = TDeploymentFile["deployments"][number];

/**
 * Recomputes the gates and the state with the portal's own rules from the
 * signed statements under the recorded policy; a requested or deployed patch
 * must have met both gates, without a blocker, with a signed request.
 */
export function checkGates(
  log: CheckLog,
  manifest: TManifest,
  statements: TVerifiedStatement[],
  deployments: TDeployment[],
  fastPath: readonly TVerifiedFastPath[] = [],
) {
  const current = manifest.revisions.find((r) => r.number === manifest.patch.revision);
  if (!current) {
    log.fail(
      "gates",
      "manifest.json",
      `the current revision ${manifest.patch.revision} is not in the dossier`,
    );
    return;
  }
  const deployment = deployments.filter((d) => d.revision === current.number).at(-1);
  const facts = buildPatchFacts({
    ...recorded(manifest, statements, fastPath),
    revision: current.number,
    deployment: deployment ?? null,
  });
  const { state, gates, blockers } = derivePatchState(facts);
  const problems: string[] = [];
  for (const name of ["reviews", "tests"] as const) {
    const recorded = manifest.gates[name];
    if (recorded.have !== gates[name].have || recorded.need !== gates[name].need) {
      problems.push(
        `${name}: recorded ${recorded.have}/${recorded.need}, the signed statements give ${gates[name].have}/${gates[name].need}`,
      );
    }
  }
  if (state !== manifest.patch.state)
    problems.push(
      `recorded state ${manifest.patch.state}, the statements and deployment record give ${state}`,
    );
  for (const w of statements.filter((s) => s.kind === "withdraw")) {
    if (!w.parsed.comment) problems.push(`${w.file}: a withdraw without its reason`);
  }
  if (AFTER_REQUEST.includes(manifest.patch.state)) {
    if (!gates.reviews.met)
      problems.push(
        `the patch is ${manifest.patch.state} but only ${gates.reviews.have} of ${gates.reviews.need} distinct reviewers approved`,
      );
    if (!gates.tests.met)
      problems.push(
        `the patch is ${manifest.patch.state} but only ${gates.tests.have} of ${gates.tests.need} distinct testers passed it`,
      );
    if (blockers.length)
      problems.push(
        `the patch is ${manifest.patch.state} but revision ${current.number} has a reject or fail`,
      );
    if (!facts.signoffs.some((s) => s.kind === "REQUEST" && s.revision === current.number))
      problems.push(`the patch is ${manifest.patch.state} without a signed request`);
  }
  log.expect(
    "gates",
    `revision ${current.number}`,
    problems,
    `reviews ${gates.reviews.have}/${gates.reviews.need}, tests ${gates.tests.have}/${gates.tests.need} by distinct people; state ${state}`,
  );
}

/** Each presence belongs to its deployment, and a signing-server visit was complete before any step was done. */
export function checkDeployments(
  log: CheckLog,
  statements: TVerifiedStatement[],
  deployments: TDeployment[],
  manifest: TManifest,
) {
  for (const d of deployments) {
    const problems: string[] = [];
    if (!manifest.revisions.some((r) => r.number === d.revision))
      problems.push(`is for revision ${d.revision}, which is not in the dossier`);
    const presence = d.presence.map((p) => ({
      p,
      s: statements.find((s) => s.file === p.statement),
    }));
    for (const { p, s } of presence) {
      if (!s) problems.push(`presence ${p.statement} is not a verified statement of this dossier`);
      else if (
        s.kind !== "presence" ||
        s.parsed.deployment !== d.id ||
        s.signer.account !== p.account
      )
        problems.push(`${p.statement} is not ${p.account}'s presence at this deployment`);
    }
    if (d.procedure === "SIGNING_SERVER" && d.steps.some((s) => s.status === "DONE")) {
      const quorum = visitQuorum(
        presence.filter((x) => x.s).map(({ p }) => ({ userId: p.account, role: p.role })),
      );
      if (!quorum.met)
        problems.push(
          `steps were done without the visit: ${quorum.criticalAdmins} critical admin(s), ${quorum.accessEngineers} access engineer(s) signed`,
        );
    }
    log.expect(
      "deployment",
      d.id,
      problems,
      `${d.procedure} deployment of revision ${d.revision}: ${d.state}, ${d.steps.filter((s) => s.status === "DONE").length} step(s) done`,
    );
  }
}
