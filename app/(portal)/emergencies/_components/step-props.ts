import { GATE_LABEL, MOVE_LABEL, TEAM_LABEL, type TNextStep } from "@/lib/domain/emergency-ladder";
import type { TSignProps } from "./emergency-sign-dialog";

/** The step's title on the page. */
export function stepTitle(s: TNextStep, hasPatch: boolean): string {
  if (s.kind === "gate") return `Option 1 gate: ${GATE_LABEL[s.gate!]}`;
  if (s.kind === "option1-patch")
    return hasPatch ? "Option 1: a new revision of the patch" : "Option 1: prepare the patch";
  if (s.kind === "option3-declaration")
    return `${MOVE_LABEL[s.kind]} (as ${s.as === "ASSESSOR" ? "assessor" : "critical admin"})`;
  if (s.kind === "close") return "Close: not an emergency";
  return MOVE_LABEL[s.kind];
}

/**
 * What the signing dialog asks for each step, besides the reason: the diff
 * (uploaded or pasted) and the bug for option 1's patch, the commit and test
 * server for the 1st review, pass or fail for a tester. Everything asked
 * becomes part of the signed statement.
 */
export function stepProps(
  s: TNextStep,
  names: { grantee: (id: string) => string },
): Omit<TSignProps, "emergencyId"> {
  const base = {
    kind: s.kind,
    fixed: { gate: s.gate, as: s.as },
    teams: s.teams?.map((t) => ({ value: t, label: TEAM_LABEL[t] })),
    grantees: s.grantees?.map((id) => ({ value: id, label: names.grantee(id) })),
  };
  switch (s.kind) {
    case "option1-patch":
      return {
        ...base,
        label: "Prepare and sign the patch",
        attachDiff: true,
        pasteDiff: true,
        diffLabel: "The patch: a unified diff file",
        fields: [
          { name: "bugId", label: "Bug number", required: true },
          { name: "bugSummary", label: "Bug's short description", required: true },
        ],
        commentLabel: "Note on the fix (part of the signed text)",
      };
    case "gate":
      return {
        ...base,
        label: s.gate === "test" ? "Sign the test result" : "Sign gate",
        verdicts: s.gate === "test" ? ["pass", "fail"] : undefined,
        fields:
          s.gate === "review-1"
            ? [
                {
                  name: "develCommit",
                  label: "Commit in the development repository",
                  hint: "The commit the reviewed patch was transferred as.",
                  required: true,
                },
                {
                  name: "testServer",
                  label: "Test server",
                  hint: "Where the testers find it installed.",
                  required: true,
                },
              ]
            : undefined,
        commentLabel: "What you did (part of the signed text)",
      };
    case "option2-deploy":
      return {
        ...base,
        label: "Sign and record",
        commentLabel: "Documentation of the deployment (part of the signed text)",
      };
    case "option2-patch":
      return { ...base, label: "Sign and record", secondary: true, attachDiff: true };
    case "session-disabled":
      return {
        ...base,
        label: "Sign and record",
        secondary: true,
        attachDiff: true,
        diffLabel: "The change made in the session (unified diff); it re-enters the normal cycle",
        attachLog: true,
      };
    case "close":
      return {
        ...base,
        label: "Sign the closing",
        secondary: true,
        commentLabel: "Reason it is not an emergency (part of the signed text)",
      };
    default:
      return { ...base, label: "Sign and record", secondary: true };
  }
}
