import Link from "next/link";
import { pageActor } from "@/lib/auth/require-actor";
import { listAuditEvents, ZAuditFilter } from "@/lib/server/audit/list-events";
import { verifyStoredChain } from "@/lib/server/audit/verify-chain";
import { AUDIT_ACTIONS } from "@/lib/domain/audit-events";
import { subjectLinks } from "@/lib/server/audit/subject-links";
import { payloadFields } from "@/lib/domain/audit-display";
import { formatDateTimeSeconds } from "@/lib/format";
import styles from "../records.module.css";

export const metadata = { title: "Audit log" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function AuditPage({ searchParams }: { searchParams: Search }) {
  const actor = await pageActor("audit:read");
  const sp = await searchParams;
  // A hand-edited or stale link drops the bad filter with a note, not a 500.
  const keys = ["action", "subject", "by", "before"] as const;
  const checked = Object.fromEntries(
    keys.map((k) => [k, ZAuditFilter.shape[k].safeParse(one(sp[k]))]),
  );
  const bad = keys.filter((k) => !checked[k].success);
  const valid = (k: (typeof keys)[number]) => (checked[k].success ? checked[k].data : undefined);
  const filter = {
    action: valid("action") as string | undefined,
    subject: valid("subject") as string | undefined,
    by: valid("by") as string | undefined,
    before: valid("before") as bigint | undefined,
  };
  const [{ events, nextBefore }, chain] = await Promise.all([
    listAuditEvents({ actor, ...filter }),
    verifyStoredChain(),
  ]);
  const subjects = await subjectLinks(events);
  const next = new URLSearchParams(
    Object.entries({ ...filter, before: nextBefore?.toString() }).filter(([, v]) => v) as [
      string,
      string,
    ][],
  );

  return (
    <>
      <div className="page-head">
        <h1>Audit log</h1>
        <p>
          Append-only and hash-chained: each event&apos;s SHA-256 covers its content and the
          previous event&apos;s hash.
        </p>
      </div>
      <section className="panel chain-status">
        {chain.ok ? (
          <>
            <span className="chip ok">chain intact</span>
            <span className="small">
              {chain.count} events · head #{chain.head?.seq.toString() ?? 0}{" "}
              <code className={styles.hash}>{chain.head?.hash ?? "—"}</code>
            </span>
          </>
        ) : (
          <>
            <span className="chip bad">chain broken</span>
            <span className="small">
              at #{chain.firstBadSeq.toString()}: {chain.reason}
            </span>
          </>
        )}
      </section>
      {bad.includes("before") && (
        <div className="notice warn" role="alert">
          The page link was not valid (before must be an event number); showing the newest events.
        </div>
      )}
      {bad.some((k) => k !== "before") && (
        <div className="notice warn" role="alert">
          Some filters were not valid and were left out:{" "}
          {bad.filter((k) => k !== "before").join(", ")}.
        </div>
      )}
      <form className="filters panel" method="get">
        <label>
          Action
          <select name="action" defaultValue={filter.action ?? ""}>
            <option value="">any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          Subject id or type
          <input name="subject" defaultValue={filter.subject} />
        </label>
        <label>
          Actor
          <input name="by" defaultValue={filter.by} placeholder="email or cli-bootstrap" />
        </label>
        <button type="submit" className="secondary">
          Filter
        </button>
        <Link href="/admin/audit" className="small">
          clear
        </Link>
      </form>
      <section className="panel">
        <table className={`list ${styles.log}`}>
          <thead>
            <tr>
              <th>#</th>
              <th>When (UTC)</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Subject</th>
              <th>Details</th>
              <th>Hash</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => {
              const subject = subjects.get(`${e.subjectType}:${e.subjectId}`)!;
              const fields = payloadFields(e.payload);
              return (
                <tr key={e.seq.toString()} data-testid={`audit-${e.seq.toString()}`}>
                  <td className={`mono ${styles.nowrap}`} data-label="#">
                    {e.seq.toString()}
                  </td>
                  <td className={`small ${styles.nowrap}`} data-label="When (UTC)">
                    {formatDateTimeSeconds(e.at)}
                  </td>
                  <td className={`small ${styles.wrap}`} data-label="Actor">
                    {e.actorLabel}
                  </td>
                  <td data-label="Action">
                    <span className="chip">{e.action}</span>
                  </td>
                  <td className={`small ${styles.wrap}`} data-label="Subject">
                    {subject.href ? (
                      <Link href={subject.href}>{subject.label}</Link>
                    ) : (
                      subject.label
                    )}
                  </td>
                  <td className={styles.wrap} data-label="Details">
                    {fields.length > 0 ? (
                      <dl className={styles.fields}>
                        {fields.map((f, i) => (
                          <div key={i}>
                            <dt>{f.label}</dt>
                            <dd className={f.mono ? styles.hash : undefined}>{f.value}</dd>
                          </div>
                        ))}
                      </dl>
                    ) : (
                      <span className="muted small">—</span>
                    )}
                  </td>
                  <td
                    className={`${styles.hash} ${styles.nowrap}`}
                    data-label="Hash"
                    title={e.hash}
                  >
                    {e.hash.slice(0, 12)}…
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {events.length === 0 && <p className="muted">No events match.</p>}
        {nextBefore && (
          <div className="pager">
            <Link href={`/admin/audit?${next}`}>Older events →</Link>
          </div>
        )}
      </section>
    </>
  );
}
