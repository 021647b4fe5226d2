import type { TPersonActor } from "@/lib/auth/actor";
import { can } from "@/lib/domain/permissions";
import type { TPatchView } from "@/lib/server/patches/get-patch";
import { SignDialog } from "../../_components/sign-dialog";

type TAction = {
  kind: "submit" | "review" | "test" | "request";
  verdicts?: string[];
  label: string;
};

/**
 * The sign-offs this person's roles allow at this stage. A convenience: the
 * server re-checks every rule (authorship included) and explains a refusal.
 */
export function availableSignoffs(
  view: TPatchView,
  actor: TPersonActor,
): { actions: TAction[]; signed: string[] } {
  const mine = view.signoffs.filter((s) => !s.superseded && s.signer?.id === actor.id);
  const votedInGate = mine.some((s) => s.kind === "review" || s.kind === "test");
  const uploader = view.revisions.find((r) => r.number === view.revision)?.uploadedBy?.id;
  const actions: TAction[] = [];
  if (view.state === "DRAFT" && uploader === actor.id)
    actions.push({ kind: "submit", label: "Sign the submission" });
  if (!votedInGate && view.state === "IN_REVIEW" && can(actor.roles, "patch:review")) {
    actions.push({ kind: "review", verdicts: ["approve", "reject"], label: "Sign a review" });
  }
  const testsOpen = view.gates.tests.have < view.gates.tests.need;
  if (
    !votedInGate &&
    testsOpen &&
    (view.state === "IN_REVIEW" || view.state === "IN_TEST") &&
    can(actor.roles, "patch:test")
  ) {
    actions.push({ kind: "test", verdicts: ["pass", "fail"], label: "Sign a test result" });
  }
  if (view.state === "READY" && can(actor.roles, "patch:request"))
    actions.push({ kind: "request", label: "Sign the request to the critical admins" });
  return {
    actions,
    signed: mine.map((s) => (s.kind === s.verdict ? s.kind : `${s.kind} · ${s.verdict}`)),
  };
}

export function SignActions({ view, actor }: { view: TPatchView; actor: TPersonActor }) {
  const { actions, signed } = availableSignoffs(view, actor);
  return (
    <div className="sign-actions" data-testid="sign-actions">
      {actions.map((a) => (
        <SignDialog
          key={a.kind}
          patchId={view.id}
          kind={a.kind}
          verdicts={a.verdicts}
          label={a.label}
        />
      ))}
      {actions.length === 0 && signed.length === 0 && (
        <span className="muted small">Nothing for you to sign at this stage.</span>
      )}
      {signed.length > 0 && (
        <span className="small muted">
          You signed:{" "}
          {signed.map((s) => (
            <span key={s} className="chip">
              {s}
            </span>
          ))}
        </span>
      )}
    </div>
  );
}
