import Link from "next/link";
import { notFound } from "next/navigation";
import { pageActor } from "@/lib/auth/require-actor";
import { getDispute } from "@/lib/server/emergencies/get-dispute";
import { GATE_LABEL, MOVE_LABEL, TEAM_LABEL } from "@/lib/domain/emergency-ladder";
import { RULING_VERDICTS } from "@/lib/domain/emergency-statements";
import { formatDateTime, formatFingerprint } from "@/lib/format";
import { EmergencySignDialog } from "../../emergencies/_components/emergency-sign-dialog";
import styles from "../../emergencies/_components/emergency.module.css";
import { intId } from "@/lib/domain/input-hygiene";
import { disputeEvidence } from "@/lib/server/emergencies/dispute-evidence";
import { EvidenceLink } from "../../emergencies/_components/evidence-link";
import { DeployedDiff } from "../_components/deployed-diff";
import own from "../_components/dispute.module.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "Dispute" };

export default async function DisputePage({ params }: { params: Promise<{ number: string }> }) {
  const actor = await pageActor("dispute:read");
  const parsed = intId().safeParse((await params).number);
  if (!parsed.success) notFound();
  const number = parsed.data;
  const r = await getDispute({ actor, number });
  if (!r) notFound();
  const { dispute, ruling, emergency: e, audit } = r;
  const { diffs, signers } = await disputeEvidence({ actor, emergencyId: e.id });
  const signerOf = new Map(signers.map((s) => [s.statementId, s]));
  const label = (kind: string, data: Record<string, string> | null) =>
    kind === "gate"
      ? `Gate: ${GATE_LABEL[data?.gate as keyof typeof GATE_LABEL]}`
      : (MOVE_LABEL[kind as keyof typeof MOVE_LABEL] ?? kind);

  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/disputes">Disputes</Link> / #{dispute.number}
        </p>
        <h1>
          Dispute #{dispute.number} on emergency{" "}
          <Link href={`/emergencies/${e.number}`}>#{e.number}</Link>
        </h1>
        <p>
          {e.title} · {e.system.name} · filed {formatDateTime(dispute.filedAt)} ·{" "}
          <span className="chip">{ruling ? `ruled: ${ruling.verdict}` : "open"}</span>
        </p>
      </div>

      <section className="panel" aria-labelledby="ruling">
        <h2 id="ruling">Ruling</h2>
        {ruling ? (
          <div data-testid="ruling">
            <p>
              <strong>{ruling.verdict}</strong> — by {ruling.arbitrator.name},{" "}
              {formatDateTime(ruling.ruledAt)}
            </p>
            <p className="summary-text">{ruling.reasoning}</p>
          </div>
        ) : r.mayRule ? (
          <EmergencySignDialog
            emergencyId={e.id}
            kind="ruling"
            label="Sign a ruling"
            fixed={{ disputeId: dispute.id }}
            verdicts={[...RULING_VERDICTS]}
            commentLabel="Reasoning (part of the signed text)"
          />
        ) : (
          <p className="muted">
            {r.tookPart
              ? "You took part in this emergency, so another arbitrator must rule."
              : "Waiting for an arbitrator's ruling."}
          </p>
        )}
        <p className="small muted">Why it was filed: {dispute.reason}</p>
      </section>

      <section className="panel" aria-labelledby="deployed">
        <h2 id="deployed">What was deployed</h2>
        {diffs.length === 0 ? (
          <p className="muted">No diff was deployed under this emergency.</p>
        ) : (
          <div className={own.diffs}>
            {diffs.map((d) => (
              <DeployedDiff key={`${d.label}-${d.sha256}`} diff={d} />
            ))}
          </div>
        )}
        <EvidenceLink number={e.number} />
      </section>

      <section className="panel" aria-labelledby="signers">
        <h2 id="signers">Who signed</h2>
        <ul className={own.signers} data-testid="signers">
          {signers.map((s) => (
            <li key={s.statementId}>
              <strong>{s.name}</strong> <span className="muted">({s.role})</span>: {s.what} ·{" "}
              {formatDateTime(s.receivedAt)}
            </li>
          ))}
        </ul>
      </section>

      <section className="panel" aria-labelledby="timeline">
        <h2 id="timeline">Timeline</h2>
        <ol className={styles.record}>
          <li>
            <strong>Declared</strong> by {e.declaredBy.name} · {formatDateTime(e.declaredAt)} ·
            deadline {formatDateTime(e.clock.deadlineAt)}
          </li>
          {e.responders.map((x) => (
            <li key={x.id}>
              {TEAM_LABEL[x.team]}: <strong>{x.name}</strong> named {formatDateTime(x.namedAt)}
              {x.acknowledgedAt
                ? `, standby acknowledged ${formatDateTime(x.acknowledgedAt)}`
                : ", never acknowledged"}
            </li>
          ))}
          {e.moves.map((m) => (
            <li key={m.id}>
              <strong>{label(m.kind, m.data)}</strong> by {m.actor.name} · {formatDateTime(m.at)}
              {m.reason && <div className="summary-text">{m.reason}</div>}
            </li>
          ))}
        </ol>
      </section>

      {e.sessions.length > 0 && (
        <section className="panel" aria-labelledby="sessions">
          <h2 id="sessions">Remote sessions</h2>
          {e.sessions.map((s) => (
            <div key={s.id}>
              <p>
                For <strong>{s.granteeName}</strong>, watched by <strong>{s.watcherName}</strong>.
                Opened {s.openedAt ? formatDateTime(s.openedAt) : "—"}, terminated{" "}
                {s.terminatedAt ? formatDateTime(s.terminatedAt) : "—"}, disabled{" "}
                {s.disabledAt ? formatDateTime(s.disabledAt) : "—"}.
              </p>
              {s.log && <pre className="statement">{s.log}</pre>}
            </div>
          ))}
        </section>
      )}

      <section className="panel" aria-labelledby="statements">
        <h2 id="statements">Statements and signatures</h2>
        {e.statements.map((s) => (
          <details key={s.id}>
            <summary>
              {signerOf.get(s.id)?.what ?? s.kind.replace("emergency.", "")} by{" "}
              {signerOf.get(s.id)?.name ?? "unknown"} — key{" "}
              <span className="fingerprint">{formatFingerprint(s.fingerprint)}</span> — received{" "}
              {formatDateTime(s.receivedAt)}
            </summary>
            <pre className="statement">{s.statement}</pre>
            <pre className="statement">{s.signature}</pre>
          </details>
        ))}
      </section>

      <section className="panel" aria-labelledby="audit">
        <h2 id="audit">Audit events</h2>
        {/* It scrolls sideways on a phone: reachable with the keyboard (axe: scrollable-region-focusable). */}
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Audit events">
          {/* Below 640 px the table itself scrolls (globals.css): it takes the focus too. */}
          <table className="list" tabIndex={0} aria-label="Audit events of this emergency">
            <thead>
              <tr>
                <th>#</th>
                <th>When</th>
                <th>Who</th>
                <th>Action</th>
                <th>Hash</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((a) => (
                <tr key={a.seq}>
                  <td>{a.seq}</td>
                  <td className={styles.nowrap}>{formatDateTime(a.at)}</td>
                  <td className={styles.breakAll}>{a.actorLabel}</td>
                  <td>
                    <strong>{a.action}</strong>{" "}
                    <span className={`small muted ${styles.breakAll}`}>
                      {JSON.stringify(a.payload).slice(0, 160)}
                    </span>
                  </td>
                  <td className="mono small">{a.hash.slice(0, 12)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
