import Link from "next/link";
import { KeyStandingNote } from "@/app/_components/key-standing-note";
import { notFound } from "next/navigation";
import { pageActor } from "@/lib/auth/require-actor";
import { getEmergency } from "@/lib/server/emergencies/get-emergency";
import { listTeamMembers } from "@/lib/server/emergencies/list-team-members";
import {
  GATE_LABEL,
  GATES,
  MOVE_LABEL,
  nextSteps,
  TEAM_LABEL,
  TEAM_ROLE,
  TEAMS,
} from "@/lib/domain/emergency-ladder";
import { formatDateTime, formatFingerprint } from "@/lib/format";
import { ClockTimeline } from "../_components/clock-timeline";
import { EmergencySignDialog } from "../_components/emergency-sign-dialog";
import { ResponderForm } from "../_components/responder-form";
import styles from "../_components/emergency.module.css";
import { intId } from "@/lib/domain/input-hygiene";

export const dynamic = "force-dynamic";
export const metadata = { title: "Emergency" };

const OPTION_OF = {
  DECLARED: 1,
  OPTION1: 1,
  OPTION2: 2,
  OPTION3: 3,
  RESOLVED: 4,
  CLOSED: 4,
} as const;

export default async function EmergencyPage({ params }: { params: Promise<{ number: string }> }) {
  const actor = await pageActor("patch:read");
  const parsed = intId().safeParse((await params).number);
  if (!parsed.success) notFound();
  const number = parsed.data;
  const e = await getEmergency({ actor, number });
  if (!e) notFound();
  const { byTeam, grantees } = await listTeamMembers({ actor });

  const gates = GATES.map((g) => {
    const m = e.moves.find((x) => x.kind === "gate" && x.data?.gate === g);
    return {
      gate: g,
      label: GATE_LABEL[g],
      doneAt: m ? m.at.toISOString() : null,
      by: m?.actor.name ?? null,
    };
  });
  const leftOption1 = e.moves.find(
    (m) =>
      ["option2-deploy", "option3-declaration"].includes(m.kind) &&
      e.state !== "DECLARED" &&
      e.state !== "OPTION1",
  );
  const stoppedAt = e.resolvedAt ?? leftOption1?.at ?? null;
  const open = e.state !== "RESOLVED" && e.state !== "CLOSED";
  // What the ladder offers this viewer, by the rules the server applies when they sign.
  const next = nextSteps(e.ladder, actor, { grantees: grantees.map((g) => g.id) });
  const granteeName = new Map(grantees.map((g) => [g.id, g.name]));
  const current = OPTION_OF[e.state];
  const myResponder = e.responders.find((r) => r.userId === actor.id && !r.acknowledgedAt);
  const nameable = TEAMS.filter(
    (t) =>
      !e.responders.find((r) => r.team === t)?.acknowledgedAt &&
      (e.declaredBy.id === actor.id || actor.roles.includes(TEAM_ROLE[t])),
  );

  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/emergencies/open">Emergencies</Link> / #{e.number}
        </p>
        <h1>
          Emergency #{e.number}: {e.title}
        </h1>
        <p>
          <span className="chip">{e.system.name}</span>{" "}
          <span className="chip">severity {e.severity}</span> declared by{" "}
          <strong>{e.declaredBy.name}</strong> at {formatDateTime(e.declaredAt)}
        </p>
      </div>

      <div className={styles.options} aria-label="Escalation ladder">
        {[
          "Option 1: fast path",
          "Option 2: admin applies assessor's patch",
          "Option 3: watched remote access",
          "Resolved",
        ].map((label, i) => (
          <span
            key={label}
            className={`${styles.option} ${i + 1 === current ? styles.current : i + 1 < current ? styles.past : ""}`}
          >
            {label}
          </span>
        ))}
      </div>

      <ClockTimeline
        declaredAt={e.declaredAt.toISOString()}
        serverNow={e.clock.now.toISOString()}
        marks={e.clock.marks.map((m) => m.hoursBefore)}
        gates={gates}
        stoppedAt={stoppedAt ? stoppedAt.toISOString() : null}
      />

      <section className="panel">
        <h2>What is wrong</h2>
        <p className="summary-text">{e.description}</p>
      </section>

      <section className="panel" aria-labelledby="teams">
        <h2 id="teams">Teams and responders</h2>
        <div className={styles.teams}>
          {TEAMS.map((t) => {
            const r = e.responders.find((x) => x.team === t);
            return (
              <div
                key={t}
                className={`${styles.team} ${r?.acknowledgedAt ? styles.acked : !r ? styles.missing : ""}`}
                data-testid={`team-${t}`}
              >
                <strong>{TEAM_LABEL[t]}</strong>
                <div className="small">
                  {!r
                    ? "No responder named yet — reminded hourly"
                    : r.acknowledgedAt
                      ? `${r.name}: on standby since ${formatDateTime(r.acknowledgedAt)}`
                      : `${r.name}: not acknowledged — reminded hourly`}
                </div>
                {r && <div className="small muted">Reach: {r.contact}</div>}
              </div>
            );
          })}
        </div>
        {myResponder && open && (
          <p>
            <EmergencySignDialog
              emergencyId={e.id}
              kind="acknowledge"
              label={`Acknowledge standby (${TEAM_LABEL[myResponder.team]})`}
              fixed={{ team: myResponder.team }}
              commentLabel="Note (part of the signed text)"
            />
          </p>
        )}
        {open && nameable.length > 0 && (
          <details className={styles.nameForm}>
            <summary>Name a team&apos;s responder</summary>
            <ResponderForm
              emergencyId={e.id}
              teams={nameable.map((t) => ({ team: t, label: TEAM_LABEL[t], members: byTeam[t] }))}
            />
          </details>
        )}
      </section>

      {open && (
        <section className="panel" aria-labelledby="next">
          <h2 id="next">The ladder: what is allowed next</h2>
          <ul className={styles.ladder}>
            {next.map((s) => {
              const key = `${s.kind}-${s.gate ?? ""}-${s.as ?? ""}`;
              const title =
                s.kind === "gate"
                  ? `Option 1 gate: ${GATE_LABEL[s.gate!]}`
                  : s.kind === "option3-declaration"
                    ? `${MOVE_LABEL[s.kind]} (as ${s.as === "ASSESSOR" ? "assessor" : "critical admin"})`
                    : MOVE_LABEL[s.kind];
              return (
                <li
                  key={key}
                  className={`${styles.rung} ${s.allowed ? "" : styles.blocked}`}
                  data-testid={`rung-${s.kind}`}
                >
                  <div>
                    <div className={styles.rungTitle}>{title}</div>
                    <div className="small">{s.why}</div>
                  </div>
                  <div>
                    {s.mine ? (
                      <EmergencySignDialog
                        emergencyId={e.id}
                        kind={s.kind}
                        label={s.kind === "gate" ? "Sign gate" : "Sign and record"}
                        secondary={s.kind !== "gate" && s.kind !== "option2-deploy"}
                        fixed={{ gate: s.gate, as: s.as }}
                        teams={s.teams?.map((t) => ({ value: t, label: TEAM_LABEL[t] }))}
                        grantees={s.grantees?.map((id) => ({
                          value: id,
                          label: granteeName.get(id) ?? id,
                        }))}
                        attachDiff={s.kind === "option2-patch" || s.kind === "session-disabled"}
                        diffLabel={
                          s.kind === "session-disabled"
                            ? "The change made in the session (unified diff); it re-enters the normal cycle"
                            : undefined
                        }
                        attachLog={s.kind === "session-disabled"}
                        commentLabel={
                          s.kind === "gate"
                            ? "What you did (part of the signed text)"
                            : s.kind === "option2-deploy"
                              ? "Documentation of the deployment (part of the signed text)"
                              : undefined
                        }
                      />
                    ) : (
                      <span className="small muted">
                        {!s.allowed
                          ? "blocked"
                          : s.refusal?.rule === "ROLE"
                            ? "not your role"
                            : s.refusal?.message}
                      </span>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      <section className="panel" aria-labelledby="record">
        <h2 id="record">Record</h2>
        <ol className={styles.record}>
          <li>
            <strong>Declared</strong> by {e.declaredBy.name} · {formatDateTime(e.declaredAt)}
          </li>
          {e.moves.map((m) => (
            <li key={m.id}>
              <strong>
                {m.kind === "gate"
                  ? `Gate: ${GATE_LABEL[m.data?.gate as keyof typeof GATE_LABEL]}`
                  : MOVE_LABEL[m.kind as keyof typeof MOVE_LABEL]}
              </strong>{" "}
              by {m.actor.name} · {formatDateTime(m.at)}
              {m.reason && <div className="summary-text">{m.reason}</div>}
              {m.statement && (
                <div className={styles.sig}>
                  signed with{" "}
                  <span className="fingerprint">{formatFingerprint(m.statement.fingerprint)}</span>
                  <KeyStandingNote standing={m.statement.keyStanding} className="small" />
                </div>
              )}
            </li>
          ))}
        </ol>
        {e.sessions.map((s) => (
          <p key={s.id} className="small">
            Remote session for <strong>{s.granteeName}</strong>, watched by{" "}
            <strong>{s.watcherName}</strong>: opened {s.openedAt ? formatDateTime(s.openedAt) : "—"}
            , terminated {s.terminatedAt ? formatDateTime(s.terminatedAt) : "—"}, disabled{" "}
            {s.disabledAt ? formatDateTime(s.disabledAt) : "—"}
          </p>
        ))}
        {e.disputes.map((d) => (
          <p key={d.id}>
            Dispute <Link href={`/disputes/${d.number}`}>#{d.number}</Link> filed{" "}
            {formatDateTime(d.filedAt)} —{" "}
            {d.ruling ? `ruled: ${d.ruling.verdict}` : "waiting for arbitration"}
          </p>
        ))}
        {e.patches.map((p) => (
          <p key={p.id}>
            Re-entered the normal cycle as <Link href={`/patches/${p.id}`}>patch #{p.number}</Link>{" "}
            ({p.state.toLowerCase()})
          </p>
        ))}
      </section>
    </>
  );
}
