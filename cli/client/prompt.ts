import { createInterface, type Interface } from "node:readline";

// Questions the client asks on standard input. They work without a terminal
// (`yes | patchgate sign ...`, a test feeding "n"): one line per answer, read
// from whatever stdin is; the question itself goes to stderr, so stdout stays
// the command's output (or its JSON). A secret is read without echo on a TTY.

let reader: Interface | null = null;
let lines: string[] = [];
let waiting: ((line: string | null) => void) | null = null;
let ended = false;

function lineReader(): void {
  if (reader) return;
  reader = createInterface({ input: process.stdin, terminal: false });
  reader.on("line", (line) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(line);
    } else lines.push(line);
  });
  reader.on("close", () => {
    ended = true;
    waiting?.(null);
    waiting = null;
  });
}

/** One line of stdin after the question; null at end of input. */
export async function ask(question: string): Promise<string | null> {
  process.stderr.write(question);
  lineReader();
  reader!.resume();
  if (lines.length) return lines.shift()!;
  if (ended) return null;
  return new Promise((resolve) => (waiting = resolve));
}

/** Yes only for y or yes; anything else, or no answer at all, is no. */
export async function confirm(question: string): Promise<boolean> {
  const answer = await ask(question);
  if (answer === null) process.stderr.write("\n");
  return /^\s*(y|yes)\s*$/i.test(answer ?? "");
}

/** A secret: on a terminal without echo (raw mode), otherwise one line of stdin. */
export async function askSecret(question: string): Promise<string | null> {
  const stdin = process.stdin;
  if (!stdin.isTTY || reader) return ask(question);
  process.stderr.write(question);
  return new Promise((resolve) => {
    let value = "";
    stdin.setRawMode(true);
    stdin.resume();
    const done = (result: string | null) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done(value);
        if (ch === "\u0003") {
          // Ctrl-C: raw mode swallowed the signal; stop as it would have.
          done(null);
          process.exit(130);
        }
        if (ch === "\u0004") return done(value || null);
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

/**
 * Stops reading stdin until the next question: gpg's pinentry reads the PIN
 * from the same terminal, and a reader left running would take its keystrokes.
 * Lines already read stay for the next question.
 */
export function pausePrompts(): void {
  reader?.pause();
}

/** Lets the process end: a pending stdin reader would keep it alive. */
export function closePrompts(): void {
  reader?.close();
  reader = null;
  lines = [];
}
