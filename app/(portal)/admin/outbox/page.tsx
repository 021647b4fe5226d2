import { pageActor } from "@/lib/auth/require-actor";
import { listOutbox } from "@/lib/server/outbox/list-outbox";
import { waitingTarballs } from "@/lib/server/outbox/waiting-tarballs";
import { portalPublicKey } from "@/lib/server/portal-key/portal-key";
import { ActionForm } from "@/app/_components/action-form";
import { retryOutboxAction } from "@/lib/actions/outbox";
import { describeOutbox } from "@/lib/server/outbox/describe-outbox";
import { formatDateTimeSeconds } from "@/lib/format";
import styles from "../records.module.css";

export const metadata = { title: "Outbox" };
export const dynamic = "force-dynamic";

export default async function OutboxPage() {
  const actor = await pageActor("outbox:manage");
  const [{ rows, counts, worker }, key, tarballs] = await Promise.all([
    listOutbox({ actor }),
    portalPublicKey(),
    waitingTarballs({ actor }),
  ]);
  const words = await describeOutbox(rows);

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
          The portal&apos;s own notices are signed with the portal key{" "}
          <code>{key.fingerprint}</code> (<a href="/api/portal-key">public key</a>); the
          notification to the system-log list is signed by the critical admin who deployed.
        </p>
      </section>
      {tarballs.length > 0 && (
        <section className="panel" data-testid="waiting-tarballs" aria-labelledby="tarballs-title">
          <h2 id="tarballs-title">Tarballs the worker waits for (step 13)</h2>
          <p className="small">
            The tarball was not uploaded at step 7. Copy the file from the production server to the
            place named here; the worker mirrors it only if its SHA-256 is the one step 7 recorded.
          </p>
          <ul>
            {tarballs.map((t) => (
              <li key={t.outboxId} style={{ overflowWrap: "anywhere" }}>
                <a href={`/patches/${t.patch.id}/deployment`}>
                  Patch #{t.patch.number} {t.patch.title}
                </a>
                : <code>{t.name}</code>
                {t.sha256 && (
                  <>
                    {" "}
                    with SHA-256 <code>{t.sha256}</code>
                  </>
                )}
                , expected at{" "}
                {t.copyTo ? (
                  <code>{t.copyTo}</code>
                ) : (
                  <>
                    <code>{`$TARBALL_DIR/${t.name}`}</code> (TARBALL_DIR is not set on the portal;
                    the worker&apos;s own setting counts)
                  </>
                )}
                {t.state === "FAILED" && " — then press Retry on its row below."}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="panel">
        {/* A table on a wide screen, one card per row on a phone (no sideways scroll). */}
        <table className={`list ${styles.log}`} aria-label="Outbox rows">
          <thead>
            <tr>
              <th>State</th>
              <th>What</th>
              <th>About</th>
              <th>To</th>
              <th>Created (UTC)</th>
              <th>Attempts</th>
              <th>Last error</th>
              <th>Done (UTC)</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const w = words.get(r.id)!;
              return (
                <tr key={r.id} data-state={r.state} data-testid={`outbox-${r.id}`}>
                  <td data-label="State">
                    <span
                      className={`chip ${r.state === "DONE" ? "ok" : r.state === "FAILED" ? "bad" : ""}`}
                    >
                      {r.state === "PENDING" && r.waitingFor ? "waiting" : r.state.toLowerCase()}
                    </span>
                  </td>
                  <td data-label="What">
                    <code>{r.kind}</code>
                  </td>
                  <td className={styles.wrap} data-label="About">
                    {w.about ? (
                      w.about.href ? (
                        <a href={w.about.href}>{w.about.label}</a>
                      ) : (
                        w.about.label
                      )
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className={`small ${styles.wrap}`} data-label="To">
                    {w.to}
                  </td>
                  <td data-label="Created (UTC)">{formatDateTimeSeconds(r.createdAt)}</td>
                  <td data-label="Attempts">{r.attempts}</td>
                  <td className={`small ${styles.wrap}`} data-label="Last error">
                    {r.state === "PENDING" && r.waitingFor ? (
                      // A wait is not an error: say what it waits for, and that it goes on by itself.
                      <span data-testid="outbox-waiting">
                        Waiting for {r.waitingFor}
                        {r.waitingSince && <> since {formatDateTimeSeconds(r.waitingSince)} UTC</>}.
                        Not an error: the worker tries again by itself and spends no retry.
                      </span>
                    ) : (
                      (r.lastError ?? "")
                    )}
                  </td>
                  <td data-label="Done (UTC)">
                    {r.doneAt ? formatDateTimeSeconds(r.doneAt) : "—"}
                  </td>
                  <td>
                    {r.state === "FAILED" && (
                      <ActionForm action={retryOutboxAction} submit="Retry" submitClass="secondary">
                        <input type="hidden" name="outboxId" value={r.id} />
                      </ActionForm>
                    )}
                  </td>
                </tr>
              );
            })}
            {rows.length === 0 && (
              <tr>
                <td colSpan={9} className="small">
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
