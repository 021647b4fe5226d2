import { pageActor } from "@/lib/auth/require-actor";
import { listOutbox } from "@/lib/server/outbox/list-outbox";
import { portalPublicKey } from "@/lib/server/portal-key/portal-key";
import { ActionForm } from "@/app/_components/action-form";
import { retryOutboxAction } from "@/lib/actions/outbox";
import { formatDateTimeSeconds } from "@/lib/format";

export const metadata = { title: "Outbox" };
export const dynamic = "force-dynamic";

export default async function OutboxPage() {
  const actor = await pageActor("outbox:manage");
  const [{ rows, counts, worker }, key] = await Promise.all([
    listOutbox({ actor }),
    portalPublicKey(),
  ]);

  return (
    <>
      <div className="page-head">
        <h1>Outbox</h1>
        <p>
          Every side effect (mail, bug tracker, mirroring) is a row here, written with the change
          that caused it and worked off by the worker with retries.
        </p>
      </div>
      <section className="panel">
        <p>
          Worker:{" "}
          <span className={`chip ${worker.status === "ok" ? "ok" : "bad"}`}>{worker.status}</span>{" "}
          <span className="small">
            last heartbeat {worker.beatAt ? formatDateTimeSeconds(worker.beatAt) : "—"} UTC
          </span>
        </p>
        <p className="small">
          {counts.PENDING ?? 0} pending · {counts.FAILED ?? 0} failed · {counts.DONE ?? 0} done
        </p>
        <p className="small">
          Mail is signed with the portal key <code>{key.fingerprint}</code> (
          <a href="/api/portal-key">public key</a>).
        </p>
      </section>
      <section className="panel">
        <table className="list">
          <thead>
            <tr>
              <th>State</th>
              <th>Kind</th>
              <th>Created (UTC)</th>
              <th>Attempts</th>
              <th>Last error</th>
              <th>Done (UTC)</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-state={r.state}>
                <td>
                  <span
                    className={`chip ${r.state === "DONE" ? "ok" : r.state === "FAILED" ? "bad" : ""}`}
                  >
                    {r.state.toLowerCase()}
                  </span>
                </td>
                <td>
                  <code>{r.kind}</code>
                </td>
                <td>{formatDateTimeSeconds(r.createdAt)}</td>
                <td>{r.attempts}</td>
                <td className="small">{r.lastError ?? ""}</td>
                <td>{r.doneAt ? formatDateTimeSeconds(r.doneAt) : "—"}</td>
                <td>
                  {r.state === "FAILED" && (
                    <ActionForm action={retryOutboxAction} submit="Retry" submitClass="secondary">
                      <input type="hidden" name="outboxId" value={r.id} />
                    </ActionForm>
                  )}
                </td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={7} className="small">
                  Nothing has been sent yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
    </>
  );
}
