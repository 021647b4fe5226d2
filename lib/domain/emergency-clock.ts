// The 24-hour clock of an emergency (E3) as a pure function of the declaration
// time, "now" and the escalation marks (hours before the deadline). The page,
// the escalation sweep and the tests all read the same answer.

export const EMERGENCY_HOURS = 24;
export const DEFAULT_MARKS_HOURS = [12, 6, 2] as const;
const HOUR = 3_600_000;

export type TClockMark = { hoursBefore: number; at: Date; passed: boolean };
export type TClockLevel = "calm" | "escalated" | "urgent" | "overdue";
export type TClock = {
  declaredAt: Date;
  deadlineAt: Date;
  now: Date;
  msLeft: number;
  overdue: boolean;
  /** 0 at the declaration, 1 at the deadline, clamped. */
  elapsed: number;
  marks: TClockMark[];
  /** Marks passed: each one is an escalation notice owed. */
  passedMarks: number[];
  level: TClockLevel;
};

export function deadlineOf(declaredAt: Date, hours = EMERGENCY_HOURS): Date {
  return new Date(declaredAt.getTime() + hours * HOUR);
}

/** Parses "12,6,2" (from the environment); keeps marks inside the window, largest first. */
export function parseMarks(text: string | undefined, hours = EMERGENCY_HOURS): number[] {
  if (!text?.trim()) return [...DEFAULT_MARKS_HOURS];
  const marks = text
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isFinite(n) && n > 0 && n < hours);
  return [...new Set(marks)].sort((a, b) => b - a);
}

export function emergencyClock({
  declaredAt,
  now,
  marks = DEFAULT_MARKS_HOURS,
  hours = EMERGENCY_HOURS,
}: {
  declaredAt: Date;
  now: Date;
  marks?: readonly number[];
  hours?: number;
}): TClock {
  const deadlineAt = deadlineOf(declaredAt, hours);
  const msLeft = deadlineAt.getTime() - now.getTime();
  const total = hours * HOUR;
  const elapsed = Math.min(1, Math.max(0, (now.getTime() - declaredAt.getTime()) / total));
  const sorted = [...marks].sort((a, b) => b - a);
  const clockMarks = sorted.map((h) => {
    const at = new Date(deadlineAt.getTime() - h * HOUR);
    return { hoursBefore: h, at, passed: now >= at };
  });
  const passedMarks = clockMarks.filter((m) => m.passed).map((m) => m.hoursBefore);
  const overdue = msLeft <= 0;
  const smallest = sorted[sorted.length - 1];
  const level: TClockLevel = overdue
    ? "overdue"
    : passedMarks.length === 0
      ? "calm"
      : passedMarks.includes(smallest)
        ? "urgent"
        : "escalated";
  return {
    declaredAt,
    deadlineAt,
    now,
    msLeft,
    overdue,
    elapsed,
    marks: clockMarks,
    passedMarks,
    level,
  };
}

/** "5 h 03 min" / "overdue by 1 h 00 min". */
export function formatLeft(ms: number): string {
  const abs = Math.abs(ms);
  const h = Math.floor(abs / HOUR);
  const m = Math.floor((abs % HOUR) / 60_000);
  const text = `${h} h ${String(m).padStart(2, "0")} min`;
  return ms <= 0 ? `overdue by ${text}` : `${text} left`;
}
