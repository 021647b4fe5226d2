// How update modes, states and channels read on the installation and package pages.

export const MODE_LABEL: Record<string, string> = {
  AUTOMATIC: "automatic",
  SEMI_AUTOMATIC: "semi-automatic",
  MANUAL: "manual",
  automatic: "automatic",
  "semi-automatic": "semi-automatic",
  manual: "manual",
};

export const MODE_HELP: Record<string, string> = {
  automatic: "A verified package goes straight to its update record and the post-update event.",
  "semi-automatic": "An admin signs “apply” for each verified package.",
  manual: "An admin ticks the fixed checklist step by step, each step signed.",
};

/** The mode as the forms and the API spell it ("semi-automatic"). */
export const modeValue = (mode: string) => MODE_LABEL[mode] ?? mode;

export const CHANNEL_LABEL: Record<string, string> = {
  BROWSER: "browser upload",
  API: "API",
  INBOX: "drop directory",
};

export function StateChip({ state }: { state: string }) {
  return (
    <span className={`chip ${state === "VERIFIED" ? "ok" : "bad"}`} data-testid="package-state">
      {state}
    </span>
  );
}
