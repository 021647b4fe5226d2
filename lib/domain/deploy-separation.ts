import { AppError } from "../errors";
import { authorsOf, type TPatchFacts } from "./patch-state";

// X3 at deployment: the critical admin who opens or ticks a deployment is none
// of the people whose work it installs or vouches for. The page (to say why it
// offers no form) and the use-cases (to refuse) both ask this one function.

export type TSeparationFacts = Pick<
  TPatchFacts,
  "authorId" | "revisionUploaderId" | "uploaderIds" | "signoffs"
>;

/** Why this person may not open or tick this patch's deployment, or null when they may. */
export function deploySeparation(f: TSeparationFacts, personId: string): string | null {
  if (personId === f.authorId) return "you wrote this patch";
  if (authorsOf(f as TPatchFacts).has(personId)) return "you uploaded a revision of this patch";
  // Any revision counts: a reviewer of revision 1 has judged most of revision 2.
  const mine = new Set(f.signoffs.filter((s) => s.signerId === personId).map((s) => s.kind));
  if (mine.has("REVIEW")) return "you reviewed this patch";
  if (mine.has("TEST")) return "you tested this patch";
  if (mine.has("REQUEST")) return "you signed its request";
  return null;
}

export function separationMessage(reason: string): string {
  return `Another critical admin deploys this patch: ${reason}. Whoever wrote, uploaded, reviewed, tested or requested a patch never opens or ticks its deployment (X3).`;
}

/** Throws FORBIDDEN with the reason, or returns quietly. */
export function assertMayDeploy(f: TSeparationFacts, personId: string): void {
  const reason = deploySeparation(f, personId);
  if (reason) throw new AppError("FORBIDDEN", separationMessage(reason), { reason });
}
