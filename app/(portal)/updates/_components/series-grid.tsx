import type { TUpdateView } from "./types";
import { tagClass } from "./tag-chips";
import styles from "./release-updates.module.css";

type TState = "ok" | "pending" | "failed" | "missing";

const COLUMNS = [
  { key: "acme", label: "ACME", long: "certificate obtained over ACME" },
  { key: "apache", label: "apache HTTPS", long: "apache checked over HTTPS" },
  { key: "nginx", label: "nginx HTTPS", long: "nginx checked over HTTPS" },
  { key: "smoke", label: "dep8 smoke", long: "dep8 smoke test passed" },
  { key: "signed", label: "signed", long: "signed update-verify" },
] as const;

const MARK: Record<TState, string> = { ok: "✓", pending: "…", failed: "✗", missing: "–" };

function signedState(v: TUpdateView["verification"][number]): TState {
  if (!v.verifiedBy) return "missing";
  return v.verifiedBy.verdict === "pass" ? "ok" : "failed";
}

/**
 * The series × check picture (S3): one row per series, one coloured cell per
 * check (ok green, pending striped amber, failed red, missing dashed), the
 * series' tag at the row's end. Each cell also says its state in words.
 */
export function SeriesGrid({ verification }: { verification: TUpdateView["verification"] }) {
  return (
    <figure className={styles.grid} aria-label="Verification per series" data-testid="series-grid">
      <div className={styles.gridHead} aria-hidden>
        <span>series</span>
        {COLUMNS.map((c) => (
          <span key={c.key}>{c.label}</span>
        ))}
        <span>tag</span>
      </div>
      {verification.map((v) => (
        <div
          key={v.series}
          className={styles.gridRow}
          data-testid={`grid-${v.series}`}
          data-verdict={v.verdict}
        >
          <span className={styles.series}>{v.series}</span>
          {COLUMNS.map((c) => {
            const state: TState = c.key === "signed" ? signedState(v) : v.checks[c.key].state;
            return (
              <span
                key={c.key}
                className={`${styles.cell} ${styles[state]}`}
                title={`${v.series}: ${c.long} — ${state}`}
                data-testid={`cell-${v.series}-${c.key}`}
                data-state={state}
              >
                <b aria-hidden>{MARK[state]}</b>
                <span className={styles.cellLabel} aria-hidden>
                  {c.label}
                </span>
                <span className={styles.srOnly}>
                  {c.long}: {state}
                </span>
              </span>
            );
          })}
          <span className={styles.gridTag}>
            {v.tag ? (
              <span className={tagClass(v.tag)}>{v.tag}</span>
            ) : (
              <span className="small muted">no tag until approved</span>
            )}
          </span>
        </div>
      ))}
      <figcaption className={styles.legend}>
        <span>
          <i className={`${styles.swatch} ${styles.ok}`} /> ok
        </span>
        <span>
          <i className={`${styles.swatch} ${styles.pending}`} /> pending (the worker has not checked
          yet)
        </span>
        <span>
          <i className={`${styles.swatch} ${styles.failed}`} /> failed
        </span>
        <span>
          <i className={`${styles.swatch} ${styles.missing}`} /> missing
        </span>
      </figcaption>
    </figure>
  );
}
