// A release-update template and the record filled from it (S1, S2): Markdown
// whose sections start at a `[Heading]` line (Launchpad's SRU template style)
// or an ATX heading (`## Heading`); the text before the first heading is the
// "Introduction". docs/release-updates.md states the rules below for users.
//
// The TODO rule: a placeholder is the word `TODO` in capitals, standing alone
// (not part of a longer word such as TODOS), anywhere in prose, headings and
// choices ("[TODO: remove one] bugfixes only/new features") — but not inside a
// code span (`grep TODO`) or a fenced code block, which are literal text, and
// never the word in other cases ("todo", "Todo"), which is prose.

export const INTRODUCTION = "Introduction";
export const MAJOR_CHANGES = "Major Changes";
export const BODY_MAX = 64_000;

export type TSection = {
  title: string;
  /** The heading line as written (empty for the introduction). */
  heading: string;
  /** The section's text below its heading, without the trailing blank lines. */
  text: string;
  /** 1-based line of the heading in the body (of the first text line for the introduction). */
  line: number;
};

const HEADING = /^(?:\[([^\]\n]+)\]|#{1,6}[ \t]+(.+?)[ \t#]*)$/;
const FENCE = /^[ \t]{0,3}(```+|~~~+)/;

/** LF line ends, no trailing blanks on lines, no blank lines at either end. */
export function normaliseBody(body: string): string {
  return body
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+$/gm, "")
    .replace(/^\n+|\n+$/g, "");
}

/** Splits a body into its sections, in order. Headings inside code fences are text. */
export function parseSections(body: string): TSection[] {
  const lines = normaliseBody(body).split("\n");
  const sections: TSection[] = [];
  let current: TSection & { lines: string[] } = {
    title: INTRODUCTION,
    heading: "",
    text: "",
    line: 1,
    lines: [],
  };
  let fence: string | null = null;
  const close = () => {
    const text = current.lines.join("\n").replace(/^\n+|\n+$/g, "");
    if (current.heading || text) sections.push({ ...omitLines(current), text });
  };
  lines.forEach((line, i) => {
    const f = line.match(FENCE);
    if (f) fence = fence === null ? f[1][0] : fence === f[1][0] ? null : fence;
    const m = fence === null && !f ? line.match(HEADING) : null;
    if (m) {
      close();
      current = { title: (m[1] ?? m[2]).trim(), heading: line, text: "", line: i + 1, lines: [] };
    } else current.lines.push(line);
  });
  close();
  return sections;
}

function omitLines({ lines: _lines, ...s }: TSection & { lines: string[] }): TSection {
  return s;
}

/** The body again from sections, one blank line after each heading and between sections. */
export function joinSections(sections: Pick<TSection, "heading" | "text">[]): string {
  return normaliseBody(
    sections
      .map((s) => (s.heading ? [s.heading, s.text].filter(Boolean).join("\n\n") : s.text))
      .join("\n\n"),
  );
}

/**
 * Replaces the text of the named sections (by title, case-insensitive);
 * answers the new body, or the titles that name no section.
 */
export function fillSections(
  body: string,
  texts: Record<string, string>,
): { body: string } | { unknown: string[] } {
  const sections = parseSections(body);
  const key = (t: string) => t.trim().toLowerCase();
  const unknown = Object.keys(texts).filter((t) => !sections.some((s) => key(s.title) === key(t)));
  if (unknown.length) return { unknown };
  const byTitle = new Map(Object.entries(texts).map(([t, v]) => [key(t), normaliseBody(v)]));
  return {
    body: joinSections(
      sections.map((s) =>
        byTitle.has(key(s.title)) ? { ...s, text: byTitle.get(key(s.title))! } : s,
      ),
    ),
  };
}

export type TTodo = {
  section: string;
  /** 1-based line in the body. */
  line: number;
  /** The line as written (trimmed, at most 200 characters). */
  text: string;
};

const TODO = /(?<![A-Za-z0-9_])TODO(?![A-Za-z0-9_])/;

/** Removes code spans (`…`, ``…``) so that what they hold is not read as a placeholder. */
function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, "");
}

/** Every line that still holds a TODO placeholder, with its section (the rule above). */
export function findTodos(body: string): TTodo[] {
  const lines = normaliseBody(body).split("\n");
  const todos: TTodo[] = [];
  let section = INTRODUCTION;
  let fence: string | null = null;
  lines.forEach((line, i) => {
    const f = line.match(FENCE);
    if (f) {
      fence = fence === null ? f[1][0] : fence === f[1][0] ? null : fence;
      return;
    }
    if (fence !== null) return;
    const m = line.match(HEADING);
    if (m) section = (m[1] ?? m[2]).trim();
    if (TODO.test(withoutCodeSpans(line)))
      todos.push({ section, line: i + 1, text: line.trim().slice(0, 200) });
  });
  return todos;
}

/** "Major Changes, line 14: TODO: explain …" — one line per placeholder, for errors and pages. */
export function describeTodos(todos: TTodo[]): string {
  return todos.map((t) => `${t.section}, line ${t.line}: ${t.text}`).join("\n");
}

export type TMajorChange = {
  /** 1-based position in the Major Changes list. */
  number: number;
  text: string;
  /** Marked "not backwards compatible" (see INCOMPATIBLE). */
  incompatible: boolean;
  /** SHA-256 of the text (what an update-major-ack names). */
  sha256: string;
};

// A change is incompatible when its text says so in one of these words.
const INCOMPATIBLE = /\bnot backwards?[- ]compatible\b|\bbackwards?[- ]incompatible\b/i;
const ITEM = /^[ \t]{0,3}(?:[-*+]|\d{1,3}[.)])[ \t]+(.*)$/;

/**
 * The changes listed in the Major Changes section: each list item (with its
 * indented continuation lines) is one change. Text outside the list is prose.
 */
export function parseMajorChanges(
  body: string,
  sha256Hex: (text: string) => string,
): TMajorChange[] {
  const section = parseSections(body).find(
    (s) => s.title.toLowerCase() === MAJOR_CHANGES.toLowerCase(),
  );
  if (!section) return [];
  const items: string[] = [];
  let open = false;
  for (const line of section.text.split("\n")) {
    const m = line.match(ITEM);
    if (m) {
      items.push(m[1].trim());
      open = true;
    } else if (open && /^[ \t]+\S/.test(line)) items[items.length - 1] += " " + line.trim();
    else open = false;
  }
  return items
    .filter((t) => t !== "")
    .map((text, i) => ({
      number: i + 1,
      text,
      incompatible: INCOMPATIBLE.test(text),
      sha256: sha256Hex(text),
    }));
}
