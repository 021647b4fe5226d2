import Link from "next/link";
import { formatDateTime, formatTime } from "@/lib/format";
import type { TCloseView, TOption1View, TOutcome } from "./emergency-view";
import styles from "./emergency.module.css";

const STATUS_WORD = { done: "done", open: "open", waiting: "waiting", failed: "failed" } as const;

/**
 * Option 1 on a patch (E3): the patch prepared (number, title, diff hash,
 * revision) and its four gates in the seed's order, as a track: who signed,
 * when, the testers' count. The track wraps into a column on a phone.
 */
export function Option1Panel({ view }: { view: TOption1View }) {
  const { patch, gates } = view;
  return (
    <section className="panel" aria-labelledby="option1" data-testid="option1">
      <h2 id="option1">Option 1: the patch and its gates</h2>
      <dl className={styles.patchFacts} data-testid="option1-patch">
        <div>
          <dt>Patch</dt>
          <dd>
            {patch.id ? (
              <Link href={`/patches/${patch.id}`}>
                {patch.number ? `#${patch.number}` : "the patch"}
                {patch.title ? `: ${patch.title}` : ""}
              </Link>
            ) : (
              "prepared"
            )}
            {patch.state && (
              <span className="chip">{patch.state.toLowerCase().replaceAll("_", " ")}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Revision</dt>
          <dd>
            {patch.revision}, prepared by {patch.preparedBy} at {formatDateTime(patch.preparedAt)}
          </dd>
        </div>
        <div>
          <dt>Diff SHA-256</dt>
          <dd className={`mono ${styles.breakAll}`} data-testid="option1-sha256">
            {patch.sha256}
          </dd>
        </div>
      </dl>

      <ol className={styles.gateTrack} aria-label="Option 1's gates, in order">
        {gates.map((g, i) => (
          <li
            key={g.gate}
            className={`${styles.gateStop} ${styles[`stop-${g.status}`]}`}
            data-testid={`gate-${g.gate}`}
            data-status={g.status}
          >
            <span className={styles.gateNo} aria-hidden="true">
              {g.status === "done" ? "✓" : g.status === "failed" ? "✗" : i + 1}
            </span>
            <div className={styles.gateBody}>
              <strong>{g.label}</strong>
              <span className={styles.gateStatus}>
                {STATUS_WORD[g.status]}
                {g.count ? ` · ${g.count}` : ""}
              </span>
              {g.signers.length > 0 && (
                <ul className={styles.signers}>
                  {g.signers.map((s) => (
                    <li key={`${s.name}-${s.at.toISOString()}`}>
                      {s.name}
                      {s.verdict ? ` (${s.verdict})` : ""}{" "}
                      <span className="muted">at {formatDateTime(s.at)}</span>
                    </li>
                  ))}
                </ul>
              )}
              {g.develCommit && (
                <span className="small">
                  Commit <span className={`mono ${styles.breakAll}`}>{g.develCommit}</span>
                </span>
              )}
              {g.testServer && (
                <span className="small">
                  Test server <span className={`mono ${styles.breakAll}`}>{g.testServer}</span>
                </span>
              )}
              {g.gate === "deploy" && g.status !== "done" && (
                <span className="small muted">through the patch&apos;s deployment record</span>
              )}
            </div>
          </li>
        ))}
      </ol>

      {view.failed && (
        <p className="notice error" role="status">
          A tester reported a failure: the patch needs a new revision (prepare it again below), or
          option 1 is recorded unfit.
        </p>
      )}
      {patch.deployment && patch.id && (
        <p className="small" data-testid="option1-deployment">
          Deployment record:{" "}
          <Link href={`/patches/${patch.id}/deployment`}>
            {patch.deployment.state.toLowerCase().replaceAll("_", " ")}
          </Link>
        </p>
      )}
      {view.forwarded && patch.id && (
        <p className="notice ok" data-testid="forwarded">
          The patch is with the critical team: a critical admin deploys it through{" "}
          <Link href={`/patches/${patch.id}/deployment`}>the patch&apos;s deployment record</Link>{" "}
          (opened from the patch page as usual); the emergency is resolved when it is installed.
        </p>
      )}
    </section>
  );
}

/** The 24 hours are over and the emergency is still open: said plainly, with when everyone was told. */
export function DeadlineNotice({
  deadlineAt,
  toldAt,
  option1,
}: {
  deadlineAt: Date;
  toldAt: Date | null;
  /** Still on option 1: say what is left to do. */
  option1: boolean;
}) {
  return (
    <p className="notice error" role="alert" data-testid="deadline-passed">
      <strong>The 24-hour deadline passed at {formatDateTime(deadlineAt)}.</strong>{" "}
      {toldAt
        ? `Everyone on the emergency was told at ${formatTime(toldAt)}.`
        : "Everyone on the emergency is told by mail, once; the hourly reminders stop."}{" "}
      {option1 && "Option 1 may still finish; otherwise record it unfit and move to option 2."}
    </p>
  );
}

/** A false alarm being closed: who signed, and who still must. */
export function ClosingPanel({ view, declarer }: { view: TCloseView; declarer: string }) {
  return (
    <section className="panel" aria-labelledby="closing" data-testid="closing">
      <h2 id="closing">Closing as not an emergency</h2>
      <ul className={styles.reasons}>
        {view.signed.map((s) => (
          <li key={`${s.name}-${s.at.toISOString()}`}>
            <strong>{s.name}</strong> {s.declarer ? "(declarer)" : ""} signed at{" "}
            {formatDateTime(s.at)}
            <div className="summary-text">{s.reason}</div>
          </li>
        ))}
      </ul>
      {view.missing.length > 0 && (
        <p className="notice warn" data-testid="closing-missing">
          Still to sign:{" "}
          {view.missing
            .map((m) =>
              m === "declarer"
                ? `${declarer}, who declared it`
                : "a second critical admin or assessor",
            )
            .join(" and ")}
          . Until then the emergency runs on.
        </p>
      )}
    </section>
  );
}

/** An emergency that ended: the option actually used and its outcome, or the closing. */
export function OutcomePanel({
  state,
  outcome,
  close,
  endedAt,
  declaredAt,
}: {
  state: "RESOLVED" | "CLOSED";
  outcome: TOutcome;
  close: TCloseView | null;
  endedAt: Date | null;
  declaredAt: Date;
}) {
  const took = endedAt ? duration(endedAt.getTime() - declaredAt.getTime()) : null;
  if (state === "CLOSED")
    return (
      <section
        className={`panel ${styles.outcome}`}
        data-testid="outcome"
        aria-labelledby="outcome"
      >
        <h2 id="outcome">Closed: not an emergency</h2>
        <p>
          {endedAt ? `Closed at ${formatDateTime(endedAt)}` : "Closed"}
          {took ? `, ${took} after it was declared` : ""}. The signed reasons:
        </p>
        <ul className={styles.reasons}>
          {close?.signed.map((s) => (
            <li key={`${s.name}-${s.at.toISOString()}`}>
              <strong>{s.name}</strong> {s.declarer ? "(declarer)" : ""} at {formatDateTime(s.at)}
              <div className="summary-text">{s.reason}</div>
            </li>
          ))}
        </ul>
      </section>
    );
  return (
    <section className={`panel ${styles.outcome}`} data-testid="outcome" aria-labelledby="outcome">
      <h2 id="outcome">Outcome</h2>
      <p data-testid="outcome-line">
        {outcome.option ? `Resolved under option ${outcome.option}: ` : "Resolved: "}
        {outcome.parts.map((p, i) => (
          <span key={p.text}>
            {i > 0 && "; "}
            {p.href ? <Link href={p.href}>{p.text}</Link> : p.text}
          </span>
        ))}
        {outcome.parts.length === 0 && "see the record below"}.
      </p>
      <p className="small muted">
        {endedAt ? `Resolved at ${formatDateTime(endedAt)}` : ""}
        {took ? `, ${took} after it was declared` : ""}
        {outcome.resolvedBy ? ` · recorded by ${outcome.resolvedBy.name}` : ""}
      </p>
      {outcome.resolvedBy?.reason && <p className="summary-text">{outcome.resolvedBy.reason}</p>}
    </section>
  );
}

function duration(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  return h > 0 ? `${h} h ${String(m).padStart(2, "0")} min` : `${m} min`;
}
