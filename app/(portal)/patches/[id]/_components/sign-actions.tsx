import type { TPersonActor } from "@/lib/auth/actor";
import type { TPatchView } from "@/lib/server/patches/get-patch";
import { SignDialog } from "../../_components/sign-dialog";

type TAction = {
  kind: "submit" | "review" | "test" | "request" | "withdraw";
  verdicts?: string[];
  label: string;
};

/**
 * The statements this person may sign now: exactly `view.may`, which the
 * server computed with the predicates its use-cases assert (lib/domain). No
 * rule is restated here; a reject after two approvals is offered because the
 * server takes it.
 */
export function availableSignoffs(
  view: TPatchView,
  actor: TPersonActor,
): { actions: TAction[]; signed: string[] } {
  const mine = view.signoffs.filter((s) => !s.superseded && s.signer?.id === actor.id);
  const lower = (vs: string[]) => vs.map((v) => v.toLowerCase());
  const actions: TAction[] = [];
  if (view.may.submit) actions.push({ kind: "submit", label: "Sign the submission" });
  if (view.may.review.length)
    actions.push({ kind: "review", verdicts: lower(view.may.review), label: "Sign a review" });
  if (view.may.test.length)
    actions.push({ kind: "test", verdicts: lower(view.may.test), label: "Sign a test result" });
  if (view.may.request)
    actions.push({ kind: "request", label: "Sign the request to the critical admins" });
  if (view.may.withdraw) actions.push({ kind: "withdraw", label: "Withdraw the patch" });
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
