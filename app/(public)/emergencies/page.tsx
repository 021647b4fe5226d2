import Link from "next/link";
import { publicEmergencyLog, type TPublicEnded } from "@/lib/server/emergencies/public-log";
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
 * E7: the public emergency log, readable without an account. An emergency in
 * progress reads only "An emergency on <system> since <time>"; once it has
 * ended: what, when, the option used, who decided, the dispute and its ruling.
 * Names only. Each entry has the id `emergency-<number>` (the Atom feed links there).
 */
export default async function PublicEmergencyLog() {
  const log = await publicEmergencyLog();
  return (
    <main className="page">
      <div className="page-head">
        <h1>Emergency log</h1>
        <p>
          Every emergency declared in Patchgate, how it was handled and how arbitration ruled. An
          emergency in progress is shown only by its system and the time it was declared; its
          details appear once it is resolved or closed. Also as{" "}
          <a href="/emergencies/feed.json">JSON</a> and as an{" "}
          <a href="/emergencies/atom.xml">Atom feed</a>. <Link href="/">Portal</Link>
        </p>
      </div>
      {log.length === 0 && <p className="muted panel">No emergencies so far.</p>}
      {log.map((e) =>
        e.inProgress ? (
          <article
            key={e.number}
            id={`emergency-${e.number}`}
            className="panel"
            aria-labelledby={`em-${e.number}`}
            data-testid={`public-emergency-${e.number}`}
          >
            <h2 id={`em-${e.number}`}>
              #{e.number} {e.summary}
            </h2>
            <p>
              <span className="chip">{e.system}</span> <span className="chip">in progress</span>
            </p>
          </article>
        ) : (
          <Ended key={e.number} e={e} />
        ),
      )}
    </main>
  );
}

function Ended({ e }: { e: TPublicEnded }) {
  return (
    <article
      id={`emergency-${e.number}`}
      className="panel"
      aria-labelledby={`em-${e.number}`}
      data-testid={`public-emergency-${e.number}`}
    >
      <h2 id={`em-${e.number}`}>
        #{e.number} {e.title}
      </h2>
      <p>
        <span className="chip">{e.system}</span> <span className="chip">severity {e.severity}</span>{" "}
        {e.option && <span className="chip">{OPTION[e.option]}</span>}{" "}
        <span className="chip">{e.outcome}</span>
      </p>
      <p className="small">
        Declared {formatDateTime(e.declaredAt)} by <strong>{e.declaredBy}</strong>
      </p>
      {e.closingReasons.length > 0 && (
        <>
          <p>Closed as not an emergency, for these reasons:</p>
          <ul>
            {e.closingReasons.map((c, i) => (
              <li key={i}>
                <strong>{c.by}</strong>, {formatDateTime(c.at)}
                {c.reason && <span className="muted">: {c.reason}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
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
  );
}
