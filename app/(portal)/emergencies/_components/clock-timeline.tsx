"use client";

import { useEffect, useState } from "react";
import { emergencyClock, formatLeft } from "@/lib/domain/emergency-clock";
import { formatDateTime, formatTime } from "@/lib/format";
import styles from "./emergency.module.css";

export type TGateNode = { gate: string; label: string; doneAt: string | null; by: string | null };

/**
 * The 24-hour clock drawn as a timeline (E3): the declaration at the left, the
 * deadline at the right, the escalation marks, option 1's gates as nodes (done
 * where they were signed, the open one at "now"), and the time left, ticking.
 * Who signed each gate is drawn by the option-1 panel (emergency-panels.tsx).
 * The clock itself is the pure emergencyClock(); this only redraws it.
 */
export function ClockTimeline({
  declaredAt,
  serverNow,
  marks,
  gates,
  stoppedAt,
}: {
  declaredAt: string;
  serverNow: string;
  marks: number[];
  gates: TGateNode[];
  stoppedAt: string | null;
}) {
  // Start from the server's "now" (no hydration mismatch), then follow this browser's clock.
  const [offset] = useState(() => new Date(serverNow).getTime() - Date.now());
  const [now, setNow] = useState(() => new Date(serverNow));
  useEffect(() => {
    if (stoppedAt) return;
    const id = setInterval(() => setNow(new Date(Date.now() + offset)), 1000);
    return () => clearInterval(id);
  }, [offset, stoppedAt]);

  const at = stoppedAt ? new Date(stoppedAt) : now;
  const c = emergencyClock({ declaredAt: new Date(declaredAt), now: at, marks });
  const pos = (d: Date) =>
    `${Math.min(100, Math.max(0, ((d.getTime() - c.declaredAt.getTime()) / (c.deadlineAt.getTime() - c.declaredAt.getTime())) * 100))}%`;
  const openGate = gates.find((g) => !g.doneAt);

  return (
    <section className={`panel ${styles.clock}`} aria-label="24-hour clock" data-level={c.level}>
      <div className={styles.clockHead}>
        <div>
          <div className={styles.left} data-testid="time-left">
            {stoppedAt ? "Clock stopped" : formatLeft(c.msLeft)}
          </div>
          <div className="small muted">
            Deadline {formatDateTime(c.deadlineAt)} · declared {formatDateTime(c.declaredAt)}
          </div>
        </div>
        <span className={`${styles.level} ${styles[c.level]}`}>
          {stoppedAt ? "option 1 left" : c.level}
        </span>
      </div>
      <div className={styles.track}>
        <div className={`${styles.fill} ${styles[c.level]}`} style={{ width: pos(at) }} />
        {c.marks.map((m) => (
          <div
            key={m.hoursBefore}
            className={`${styles.mark} ${m.passed ? styles.passed : ""}`}
            style={{ left: pos(m.at) }}
            title={`Escalation ${m.hoursBefore} h before the deadline`}
          >
            <span>−{m.hoursBefore} h</span>
          </div>
        ))}
        {gates.map((g, i) =>
          g.doneAt ? (
            <div
              key={g.gate}
              className={`${styles.node} ${styles.done}`}
              style={{ left: pos(new Date(g.doneAt)) }}
              title={`${g.label}: ${g.by} at ${formatTime(g.doneAt)}`}
            >
              {i + 1}
            </div>
          ) : null,
        )}
        {openGate && !stoppedAt && (
          <div
            className={`${styles.node} ${styles.open}`}
            style={{ left: pos(at) }}
            title={`Open: ${openGate.label}`}
          >
            {gates.indexOf(openGate) + 1}
          </div>
        )}
        <div className={styles.now} style={{ left: pos(at) }} />
      </div>
      <div className={styles.ends}>
        <span>Declared</span>
        <span>Deadline (24 h)</span>
      </div>
    </section>
  );
}
