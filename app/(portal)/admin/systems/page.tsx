import { pageActor } from "@/lib/auth/require-actor";
import { listSystems } from "@/lib/server/systems/list-systems";
import { ActionForm } from "@/app/_components/action-form";
import { setSystemPolicyAction } from "@/lib/actions/systems";
import { MAX_POLICY_COUNT, MIN_REVIEWS, MIN_TESTS } from "@/lib/domain/policy";

export const metadata = { title: "Systems" };
export const dynamic = "force-dynamic";

/** One count of the policy; the browser refuses below the minimum, the server again in words. */
function CountField(f: { label: string; name: string; value: number; min: number }) {
  return (
    <label>
      {f.label}
      <input
        type="number"
        name={f.name}
        defaultValue={f.value}
        min={f.min}
        max={MAX_POLICY_COUNT}
        required
      />
    </label>
  );
}

export default async function SystemsPage() {
  const actor = await pageActor("systems:manage");
  const systems = await listSystems({ actor });
  return (
    <>
      <div className="page-head">
        <h1>Systems</h1>
        <p>
          Each target system requires at least {MIN_REVIEWS} approving reviews by assessors and at
          least {MIN_TESTS} passed tests by testers. A change applies to patches not yet requested;
          a requested patch, and its dossier, keep the policy its request was signed under. Every
          change is in the audit log with its reason.
        </p>
      </div>
      {systems.map((s) => (
        <section className="panel" key={s.id} data-testid={`system-${s.slug}`}>
          <div className="panel-head">
            <h2>
              {s.name} <span className="mono muted small">{s.slug}</span>
            </h2>
            <span className="small muted">
              {s.procedure === "WEBDB" ? "webdb procedure" : "signing-server procedure"} ·{" "}
              {s.reviewsRequired} reviews, {s.testsRequired} tests required
            </span>
          </div>
          <ActionForm action={setSystemPolicyAction} submit="Change the policy" className="stack">
            <input type="hidden" name="slug" value={s.slug} />
            <div className="policy-fields">
              <CountField
                label="Reviews required"
                name="reviewsRequired"
                value={s.reviewsRequired}
                min={MIN_REVIEWS}
              />
              <CountField
                label="Tests required"
                name="testsRequired"
                value={s.testsRequired}
                min={MIN_TESTS}
              />
            </div>
            <label>
              Reason (goes into the audit log)
              <input type="text" name="reason" required maxLength={1000} />
            </label>
          </ActionForm>
        </section>
      ))}
      {systems.length === 0 && <p className="muted">No systems yet.</p>}
    </>
  );
}
