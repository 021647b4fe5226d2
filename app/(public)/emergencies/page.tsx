import Link from "next/link";
import { publicEmergencyLog } from "@/lib/server/emergencies/public-log";
import { formatDateTime } from "@/lib/format";

export const metadata = {
  title: "Emergency log",
  alternates: { types: { "application/atom+xml": "/emergencies/atom.xml" } },
};
export const dynamic = "force-dynamic";

const OPTION = {
  1: "Option 1: fast path",
  2: "Option 2: critical admin applied an assessor's patch",
  3: "Option 3: watched remote access",
} as const;

/**
 * E7: the public emergency log, readable without an account: what, when, the
 * option used, who decided, the dispute and its ruling. Names only.
 */
export default async function PublicEmergencyLog() {
  const log = await publicEmergencyLog();
  return (
    <main className="page">
      <div className="page-head">
        <h1>Emergency log</h1>
        <p>
          Every emergency declared in Patchgate, how it was handled and how arbitration ruled. Also
          as <a href="/emergencies/feed.json">JSON</a> and as an{" "}
          <a href="/emergencies/atom.xml">Atom feed</a>. <Link href="/">Portal</Link>
        </p>
      </div>
      {log.length === 0 && <p className="muted panel">No emergencies so far.</p>}
      {log.map((e) => (
        <article
          key={e.number}
          className="panel"
          aria-labelledby={`em-${e.number}`}
          data-testid={`public-emergency-${e.number}`}
        >
          <h2 id={`em-${e.number}`}>
            #{e.number} {e.title}
          </h2>
          <p>
            <span className="chip">{e.system}</span>{" "}
            <span className="chip">severity {e.severity}</span>{" "}
            <span className="chip">{OPTION[e.option]}</span>{" "}
            <span className="chip">
              {e.resolvedAt ? `resolved ${formatDateTime(e.resolvedAt)}` : "in progress"}
            </span>
          </p>
          <p className="small">
            Declared {formatDateTime(e.declaredAt)} by <strong>{e.declaredBy}</strong>
          </p>
          {e.decisions.length > 0 && (
            <ul>
              {e.decisions.map((d, i) => (
                <li key={i}>
                  <strong>{d.what}</strong> — {d.by}, {formatDateTime(d.at)}
                  {d.reason && <span className="muted">: {d.reason}</span>}
                </li>
              ))}
            </ul>
          )}
          {e.disputes.map((d) => (
            <div key={d.number} className={d.ruling ? "notice ok" : "notice warn"}>
              Dispute #{d.number}:{" "}
              {d.ruling ? (
                <>
                  ruled <strong>{d.ruling.verdict}</strong> by {d.ruling.by} on{" "}
                  {formatDateTime(d.ruling.at)} — {d.ruling.reasoning}
                </>
              ) : (
                "waiting for arbitration"
              )}
            </div>
          ))}
        </article>
      ))}
    </main>
  );
}
