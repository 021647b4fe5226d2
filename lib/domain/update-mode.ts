// An installation's update mode (U4), as the API, the CLI and the pages spell
// it ("semi-automatic") and as the database stores it ("SEMI_AUTOMATIC").

export const UPDATE_MODES = ["automatic", "semi-automatic", "manual"] as const;
export type TUpdateModeName = (typeof UPDATE_MODES)[number];
export type TUpdateModeValue = "AUTOMATIC" | "SEMI_AUTOMATIC" | "MANUAL";

export function modeName(mode: TUpdateModeValue): TUpdateModeName {
  return mode === "SEMI_AUTOMATIC"
    ? "semi-automatic"
    : mode === "AUTOMATIC"
      ? "automatic"
      : "manual";
}

export function modeValue(name: TUpdateModeName): TUpdateModeValue {
  return name === "semi-automatic"
    ? "SEMI_AUTOMATIC"
    : name === "automatic"
      ? "AUTOMATIC"
      : "MANUAL";
}

/** Reads "semi-automatic", "SEMI_AUTOMATIC", "Semi automatic" alike; null for anything else. */
export function readModeName(text: string): TUpdateModeName | null {
  const name = text
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, "-");
  return (UPDATE_MODES as readonly string[]).includes(name) ? (name as TUpdateModeName) : null;
}
