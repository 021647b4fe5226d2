import type { TPackageUpdateView } from "@/lib/server/updates/update-pages";
import { formatDateTime, formatFingerprint } from "@/lib/format";
import { StepTick } from "./package-sign";
import styles from "./updates.module.css";

/**
 * The manual checklist (U4) as a vertical progress list in its fixed order: done
 * steps with who, when and the key, the next step with its confirmations, later
 * steps greyed. Enterprise steps appear only on an Enterprise installation.
 */
export function Checklist({
  packageId,
  checklist,
  mayTick,
}: {
  packageId: string;
  checklist: NonNullable<TPackageUpdateView["checklist"]>;
  mayTick: boolean;
}) {
  const { next, steps: all } = checklist;
  return (
    <ol className={styles.steps} aria-label="Manual update checklist">
      {all.map((s) => {
        const done = s.ticked;
        const isNext = next?.number === s.number;
        const look = done ? styles.isDone : isNext ? styles.isNext : styles.isLater;
        const evidence = (done?.evidence ?? {}) as Record<string, unknown>;
        const note = typeof evidence.note === "string" ? evidence.note : null;
        return (
          <li
            key={s.number}
            className={`${styles.step} ${look}`}
            data-testid={`checklist-step-${s.number}`}
            data-status={done ? "done" : isNext ? "next" : "later"}
            aria-current={isNext ? "step" : undefined}
          >
            <div className={styles.dot} aria-hidden>
              {done ? "✓" : s.number}
            </div>
            <div className={styles.card}>
              <div className={styles.cardHead}>
                <h3 className={styles.title}>
                  <span className="muted">{s.number}.</span> {s.title}
                  {s.enterpriseOnly && <span className="chip"> Enterprise</span>}
                </h3>
                <span className={styles.status}>{done ? "done" : isNext ? "next" : "later"}</span>
              </div>
              {done && (
                <>
                  <div className={styles.meta}>
                    Ticked by <b>{done.by.name}</b> · {formatDateTime(done.at)} · signed with key{" "}
                    <span className="fingerprint">{formatFingerprint(done.fingerprint)}</span>
                  </div>
                  {(s.confirms.length > 0 || note) && (
                    <ul className={styles.confirmed}>
                      {s.confirms
                        .filter((k) => evidence[k] === true)
                        .map((k) => (
                          <li key={k}>✓ {s.confirmLabels[k]}</li>
                        ))}
                      {note && <li>Note: {note}</li>}
                    </ul>
                  )}
                </>
              )}
              {isNext && mayTick && (
                <StepTick
                  id={packageId}
                  step={s.number}
                  title={s.title}
                  confirmLabels={{ ...s.confirmLabels }}
                />
              )}
              {isNext && !mayTick && (
                <p className="small muted">Waiting for a critical admin to tick this step.</p>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
