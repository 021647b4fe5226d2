const TONE: Record<string, string> = {
  DRAFT: "draft",
  IN_REVIEW: "open",
  IN_TEST: "open",
  BLOCKED: "bad",
  READY: "ok",
  REQUESTED: "ok",
  DEPLOYING: "open",
  DEPLOYED: "ok",
  REWORK: "bad",
  WITHDRAWN: "draft",
};

export const stateLabel = (state: string) => state.toLowerCase().replace("_", " ");

export function StateChip({ state }: { state: string }) {
  return (
    <span className={`chip state ${TONE[state] ?? ""}`} data-testid="state-chip">
      {stateLabel(state)}
    </span>
  );
}
