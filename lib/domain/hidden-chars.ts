// Characters a reader cannot see but that change what text says or how it
// reads: C0/C1 controls (NUL, ESC, ...) and the Unicode bidi controls of
// "Trojan Source" (CVE-2021-42574). Typed input refuses them
// (lib/domain/input-hygiene.ts); the diff viewer shows them (markHidden).

const BIDI_NAMES: Record<string, string> = {
  "\u061C": "ARABIC LETTER MARK",
  "\u200E": "LEFT-TO-RIGHT MARK",
  "\u200F": "RIGHT-TO-LEFT MARK",
  "\u202A": "LEFT-TO-RIGHT EMBEDDING",
  "\u202B": "RIGHT-TO-LEFT EMBEDDING",
  "\u202C": "POP DIRECTIONAL FORMATTING",
  "\u202D": "LEFT-TO-RIGHT OVERRIDE",
  "\u202E": "RIGHT-TO-LEFT OVERRIDE",
  "\u2066": "LEFT-TO-RIGHT ISOLATE",
  "\u2067": "RIGHT-TO-LEFT ISOLATE",
  "\u2068": "FIRST STRONG ISOLATE",
  "\u2069": "POP DIRECTIONAL ISOLATE",
};

// Invisible but harmless in typed text (emoji need the joiner): only shown in diffs.
const ZERO_WIDTH_NAMES: Record<string, string> = {
  "\u200B": "ZERO WIDTH SPACE",
  "\u200C": "ZERO WIDTH NON-JOINER",
  "\u200D": "ZERO WIDTH JOINER",
  "\u2060": "WORD JOINER",
  "\uFEFF": "ZERO WIDTH NO-BREAK SPACE",
};

const C0_NAMES: Record<number, string> = {
  0x00: "NUL",
  0x07: "BELL",
  0x08: "BACKSPACE",
  0x09: "TAB",
  0x0a: "LINE FEED",
  0x0b: "LINE TABULATION",
  0x0c: "FORM FEED",
  0x0d: "CARRIAGE RETURN",
  0x1b: "ESCAPE",
  0x7f: "DELETE",
};

export const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/** C0 (except tab and line feed), DEL and C1 controls. */
export const CONTROL_EXCEPT_TAB_LF = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

export function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** "U+202E RIGHT-TO-LEFT OVERRIDE", "U+0000 NUL", "U+0085 control character". */
export function describeChar(ch: string): string {
  const name =
    BIDI_NAMES[ch] ??
    ZERO_WIDTH_NAMES[ch] ??
    C0_NAMES[ch.codePointAt(0)!] ??
    (/[\u0000-\u001F\u007F-\u009F]/.test(ch) ? "control character" : undefined);
  return name ? `${codePoint(ch)} ${name}` : codePoint(ch);
}

export type TMarkedSegment = { text: string } | { hidden: string; title: string };

// Shown in diffs: the bidi controls, zero-width characters, controls except tab,
// and a CR that does not end the line (a CRLF file's line ends are left alone).
const SHOWN = new RegExp(
  `(${BIDI_CONTROL.source}|[${Object.keys(ZERO_WIDTH_NAMES).join("")}]|[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]|\\r(?!$))`,
  "gu",
);

/**
 * A line of a diff split into plain text and the hidden characters in it, so
 * the viewer can show each as a visible badge (GitHub's hidden-Unicode warning).
 */
export function markHidden(line: string): TMarkedSegment[] {
  // split() with one capture group: odd parts are the matches.
  return line
    .split(SHOWN)
    .map((part, i): TMarkedSegment | null =>
      i % 2 === 1
        ? {
            hidden: codePoint(part),
            title: `Hidden character ${describeChar(part)}: it can make this line read differently from what it does.`,
          }
        : part === ""
          ? null
          : { text: part },
    )
    .filter((s): s is TMarkedSegment => s !== null);
}

/** True when a line holds anything markHidden() would mark. */
export function hasHidden(line: string): boolean {
  return markHidden(line).some((s) => "hidden" in s);
}
