// What the verifier found: one entry per check, every problem kept (the
// verifier never stops at the first one, so a reader sees all that is wrong).

export type TCheck = { check: string; subject: string; ok: boolean; message: string };

export class CheckLog {
  readonly checks: TCheck[] = [];

  pass(check: string, subject: string, message: string): void {
    this.checks.push({ check, subject, ok: true, message });
  }

  fail(check: string, subject: string, message: string): void {
    this.checks.push({ check, subject, ok: false, message });
  }

  /** Records `problems` as failures, or one pass with `message` when there are none. */
  expect(check: string, subject: string, problems: string[], message: string): boolean {
    if (problems.length === 0) this.pass(check, subject, message);
    for (const p of problems) this.fail(check, subject, p);
    return problems.length === 0;
  }

  get problems(): TCheck[] {
    return this.checks.filter((c) => !c.ok);
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The text of a file, or null when it is not valid UTF-8. */
export function utf8Text(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}
