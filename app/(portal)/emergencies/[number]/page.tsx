import Link from "next/link";
import { KeyStandingNote } from "@/app/_components/key-standing-note";
import { notFound } from "next/navigation";
import { pageActor } from "@/lib/auth/require-actor";
import { getEmergency } from "@/lib/server/emergencies/get-emergency";
import { listTeamMembers } from "@/lib/server/emergencies/list-team-members";
import { getFastPath } from "@/lib/server/emergencies/fast-path-facts";
import {
  describeState,
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
import {
  ClosingPanel,
  DeadlineNotice,
  Option1Panel,
  OutcomePanel,
} from "../_components/emergency-panels";
import { closeView, option1View, outcomeView } from "../_components/emergency-view";
import { stepProps, stepTitle } from "../_components/step-props";
import { EvidenceLink } from "../_components/evidence-link";
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

  const fastPath = await getFastPath(e.id, { actor });
  const o1 = option1View(e, fastPath);
  const closing = closeView(e);
  const ended = e.state === "RESOLVED" || e.state === "CLOSED";
  const open = !ended;
  // The clock's nodes: option 1's gates where they were signed (the test gate when its count was met).
  const gates = GATES.map((g) => {
    const view = o1?.gates.find((x) => x.gate === g);
    const last = view?.status === "done" ? view.signers.at(-1) : undefined;
    return {
      gate: g,
      label: GATE_LABEL[g],
      doneAt: last ? last.at.toISOString() : null,
      by: last?.name ?? null,
    };
  });
  const leftOption1 = e.moves.find(
    (m) => ["option2-deploy", "option3-declaration"].includes(m.kind) && e.state !== "OPTION1",
  );
  const stoppedAt =
    e.state === "DECLARED" || e.state === "OPTION1" ? null : (leftOption1?.at ?? null);
  // Option 1 runs (or has yet to start): the sweep reminds the teams until the deadline, then tells everyone once.
  const onOption1 = e.state === "DECLARED" || e.state === "OPTION1";
  const remindedHourly = onOption1 && !fastPath.deadlinePassed;
  const endedAt =
    e.state === "CLOSED"
      ? (closing?.closedAt ?? null)
      : e.state === "RESOLVED"
        ? e.resolvedAt
        : null;
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
          <span
            className={`chip ${e.state === "RESOLVED" ? "ok" : e.state === "CLOSED" ? "" : "bad"}`}
            data-testid="emergency-state"
          >
            {e.state === "CLOSED"
              ? "Closed: not an emergency"
              : e.state === "RESOLVED"
                ? "Resolved"
                : describeState(e.state)}
          </span>{" "}
          <span className="chip">{e.system.name}</span>{" "}
          <span className="chip">severity {e.severity}</span> declared by{" "}
          <strong>{e.declaredBy.name}</strong> at {formatDateTime(e.declaredAt)}
        </p>
      </div>

      {ended ? (
        <OutcomePanel
          state={e.state as "RESOLVED" | "CLOSED"}
          outcome={outcomeView(e, fastPath)}
          close={closing}
          endedAt={endedAt}
          declaredAt={e.declaredAt}
        />
      ) : (
        <>
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
          {onOption1 && fastPath.deadlinePassed && (
            <DeadlineNotice deadlineAt={e.clock.deadlineAt} toldAt={null} option1={onOption1} />
          )}
          <ClockTimeline
            declaredAt={e.declaredAt.toISOString()}
            serverNow={e.clock.now.toISOString()}
            marks={e.clock.marks.map((m) => m.hoursBefore)}
            gates={gates}
            stoppedAt={stoppedAt ? stoppedAt.toISOString() : null}
          />
          {o1 && (e.state === "DECLARED" || e.state === "OPTION1") && <Option1Panel view={o1} />}
          {closing && <ClosingPanel view={closing} declarer={e.declaredBy.name} />}
        </>
      )}

      <section className="panel">
        <h2>What is wrong</h2>
        <p className="summary-text">{e.description}</p>
      </section>

      <section className="panel" aria-labelledby="teams">
        <h2 id="teams">Teams and responders</h2>
        <div className={styles.teams}>
          {TEAMS.map((t) => {
            const r = e.responders.find((x) => x.team === t);
            // Teams are reminded while option 1 runs, until the deadline (then everyone was told).
            const reminded = remindedHourly ? " — reminded hourly" : "";
            return (
              <div
                key={t}
                className={`${styles.team} ${r?.acknowledgedAt ? styles.acked : !r && open ? styles.missing : ""}`}
                data-testid={`team-${t}`}
              >
                <strong>{TEAM_LABEL[t]}</strong>
                <div className="small">
                  {!r
                    ? `No responder named${reminded}`
                    : r.acknowledgedAt
                      ? `${r.name}: on standby since ${formatDateTime(r.acknowledgedAt)}`
                      : `${r.name}: not acknowledged${reminded}`}
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
              const deployGate = s.kind === "gate" && s.gate === "deploy";
              return (
                <li
                  key={key}
                  className={`${styles.rung} ${s.allowed ? "" : styles.blocked}`}
                  data-testid={`rung-${s.kind}`}
                >
                  <div>
                    <div className={styles.rungTitle}>{stepTitle(s, Boolean(o1))}</div>
                    <div className="small">{s.why}</div>
                  </div>
                  <div>
                    {deployGate && o1?.patch.id ? (
                      <Link href={`/patches/${o1.patch.id}/deployment`}>
                        The patch&apos;s deployment record
                      </Link>
                    ) : s.mine ? (
                      <EmergencySignDialog
                        emergencyId={e.id}
                        {...stepProps(s, { grantee: (id) => granteeName.get(id) ?? id })}
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
        <EvidenceLink number={e.number} />
        <ol className={styles.record}>
          <li>
            <strong>Declared</strong> by {e.declaredBy.name} · {formatDateTime(e.declaredAt)}
          </li>
          {e.moves.map((m) => (
            <li key={m.id}>
              <strong>
                {m.kind === "gate"
                  ? `Gate: ${GATE_LABEL[m.data?.gate as keyof typeof GATE_LABEL]}${m.data?.verdict ? ` (${m.data.verdict})` : ""}`
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
        {e.patches
          .filter((p) => p.id !== o1?.patch.id)
          .map((p) => (
            <p key={p.id}>
              Re-entered the normal cycle as{" "}
              <Link href={`/patches/${p.id}`}>patch #{p.number}</Link> ({p.state.toLowerCase()})
            </p>
          ))}
        {o1?.patch.id && (
          <p>
            Option 1&apos;s patch:{" "}
            <Link href={`/patches/${o1.patch.id}`}>patch #{o1.patch.number ?? "?"}</Link> (
            {o1.patch.state?.toLowerCase() ?? "prepared"})
          </p>
        )}
      </section>
    </>
  );
}
