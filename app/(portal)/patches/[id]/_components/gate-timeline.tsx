import Link from "next/link";
import type { TPatchView } from "@/lib/server/patches/get-patch";
import { formatDateTime } from "@/lib/format";
import { stepProgress } from "@/lib/domain/procedures";
import { KeyStandingNote } from "@/app/_components/key-standing-note";

// The process as a picture: one node per stage, left to right, with who signed
// what under each. Superseded sign-offs (older revisions) stay visible, greyed.

type TStatus = "done" | "open" | "blocked" | "waiting";
type TEntry = {
  key: string;
  name: string;
  verdict: string;
  time: Date;
  superseded: boolean;
  revision: number;
  comment: string | null;
  fingerprint: string;
  signingKey: TPatchView["signoffs"][number]["key"];
};
type TStage = {
  key: string;
  title: string;
  status: TStatus;
  current: boolean;
  have?: number;
  need?: number;
  entries: TEntry[];
  note?: string;
  link?: string;
};

const TONE: Record<string, string> = {
  approve: "ok",
  pass: "ok",
  submit: "ok",
  request: "ok",
  reject: "bad",
  fail: "bad",
};
const STATUS_TEXT: Record<TStatus, string> = {
  done: "met",
  open: "open",
  blocked: "blocked",
  waiting: "not yet",
};
const ICON: Record<TStatus, string> = { done: "✓", open: "", blocked: "!", waiting: "" };

const CURRENT_STAGE: Record<string, string> = {
  DRAFT: "submit",
  IN_REVIEW: "review",
  IN_TEST: "test",
  READY: "request",
  REQUESTED: "deploy",
  DEPLOYING: "deploy",
  REWORK: "deploy",
};

export function stagesOf(view: TPatchView): TStage[] {
  const of = (kind: string) =>
    view.signoffs
      .filter((s) => s.kind === kind)
      .map((s) => ({
        key: s.id,
        name: s.signer?.name ?? "unknown",
        verdict: s.verdict,
        time: s.time,
        superseded: s.superseded,
        revision: s.revision,
        comment: s.comment,
        fingerprint: s.fingerprint,
        signingKey: s.key,
      }));
  const live = (kind: string) => view.signoffs.filter((s) => s.kind === kind && !s.superseded);
  const submitted = live("submit").length > 0;
  const rejected = live("review").some((s) => s.verdict === "reject");
  const failed = live("test").some((s) => s.verdict === "fail");
  const { reviews, tests } = view.gates;
  const requested = live("request").length > 0;
  const blockedAt = view.state === "BLOCKED" ? (rejected ? "review" : "test") : undefined;
  const current = blockedAt ?? CURRENT_STAGE[view.state];

  const gateStatus = (met: boolean, blocked: boolean): TStatus =>
    !submitted ? "waiting" : blocked ? "blocked" : met ? "done" : "open";
  const dep = view.deployment;
  const progress = dep && stepProgress(dep.steps);
  const depStatus: TStatus =
    view.state === "DEPLOYED"
      ? "done"
      : view.state === "REWORK"
        ? "blocked"
        : view.state === "REQUESTED" || view.state === "DEPLOYING"
          ? "open"
          : "waiting";

  return [
    {
      key: "submit",
      title: "Submitted",
      status: submitted ? "done" : view.state === "WITHDRAWN" ? "waiting" : "open",
      current: current === "submit",
      entries: of("submit"),
    },
    {
      key: "review",
      title: "Reviews",
      status: gateStatus(reviews.have >= reviews.need, rejected),
      current: current === "review",
      have: reviews.have,
      need: reviews.need,
      entries: of("review"),
    },
    {
      key: "test",
      title: "Tests",
      status: gateStatus(tests.have >= tests.need, failed),
      current: current === "test",
      have: tests.have,
      need: tests.need,
      entries: of("test"),
    },
    {
      key: "request",
      title: "Request",
      status: requested ? "done" : view.state === "READY" ? "open" : "waiting",
      current: current === "request",
      entries: of("request"),
    },
    {
      key: "deploy",
      title: "Deployment",
      status: depStatus,
      current: current === "deploy",
      entries: [],
      note: progress
        ? `${progress.done} of ${progress.total} steps done${progress.failed ? ` · step ${dep.steps.find((s) => s.status === "FAILED")?.number} failed` : ""}`
        : view.state === "REQUESTED"
          ? "waiting for a critical admin"
          : undefined,
      link: dep || view.state === "REQUESTED" ? `/patches/${view.id}/deployment` : undefined,
    },
  ];
}

function Pips({ have, need }: { have: number; need: number }) {
  const n = Math.max(need, have);
  return (
    <span className="pips" aria-hidden="true">
      {Array.from({ length: n }, (_, i) => (
        <span key={i} className={i < have ? "pip on" : "pip"} />
      ))}
    </span>
  );
}

export function GateTimeline({ view }: { view: TPatchView }) {
  const stages = stagesOf(view);
  return (
    <ol className="gate-track" aria-label="Process gates">
      {stages.map((s) => (
        <li
          key={s.key}
          className={`gate ${s.status}${s.current ? " current" : ""}`}
          data-testid={`gate-${s.key}`}
          data-status={s.status}
        >
          <div className="gate-node">
            <span className="gate-dot">{ICON[s.status]}</span>
          </div>
          <div className="gate-head">
            <strong>{s.title}</strong>
            {s.need !== undefined && (
              <span className="gate-count" data-testid={`gate-${s.key}-count`}>
                {s.have} / {s.need}
              </span>
            )}
          </div>
          <div className="gate-state">
            {s.need !== undefined && <Pips have={s.have ?? 0} need={s.need} />}
            <span className={`gate-status ${s.status}`}>
              {s.current && s.status === "open" ? "open now" : STATUS_TEXT[s.status]}
            </span>
          </div>
          {s.note && <div className="gate-note small muted">{s.note}</div>}
          {s.link && (
            <Link href={s.link} className="gate-link small">
              Deployment record →
            </Link>
          )}
          <ul className="gate-signers">
            {s.entries.map((e) => (
              <li
                key={e.key}
                className={e.superseded ? "signer superseded" : "signer"}
                title={`key ${e.fingerprint}`}
              >
                <div className="signer-line">
                  <span className="signer-name">{e.name}</span>
                  <span className={`chip ${TONE[e.verdict] ?? ""}`}>{e.verdict}</span>
                </div>
                <div className="signer-meta">
                  {formatDateTime(e.time)}
                  {e.superseded && (
                    <span className="superseded-mark"> · superseded (r{e.revision})</span>
                  )}
                </div>
                <KeyStandingNote standing={e.signingKey} className="signer-meta" />
                {e.comment && <div className="signer-comment">“{e.comment}”</div>}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
