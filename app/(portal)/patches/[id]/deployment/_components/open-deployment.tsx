import { ActionForm } from "@/app/_components/action-form";
import { openDeploymentAction } from "@/lib/actions/deployments";
import { applicability, STEPS, type TProcedure } from "@/lib/domain/procedures";
import styles from "./checklist.module.css";

/** Before the record exists: who may open it, and the procedure it will follow. */
export function OpenDeployment({
  patchId,
  state,
  procedure,
  mayOpen,
}: {
  patchId: string;
  state: string;
  procedure: TProcedure;
  mayOpen: boolean;
}) {
  return (
    <>
      <section className="panel">
        <h2>No deployment record yet</h2>
        {state !== "REQUESTED" ? (
          <p className="muted">
            Only a requested patch can be deployed: this one is{" "}
            {state.toLowerCase().replace("_", " ")}.
          </p>
        ) : mayOpen ? (
          <>
            <p>
              The patch was requested for deployment. Opening the record takes it from the queue;
              you then tick each step of the procedure in order.
            </p>
            <ActionForm
              action={openDeploymentAction}
              className="inline"
              submit="Open deployment record"
            >
              <input type="hidden" name="patchId" value={patchId} />
            </ActionForm>
          </>
        ) : (
          <p className="muted">
            The patch is requested: a critical admin opens its deployment record.
          </p>
        )}
      </section>
      <h2>The procedure</h2>
      <ol className={`${styles.steps} ${styles.preview}`}>
        {STEPS.map((s) => {
          const a = applicability(procedure, s.number);
          return (
            <li
              key={s.number}
              className={`${styles.step} ${a === "NEVER" ? styles.isNa : styles.isWaiting}`}
            >
              <div className={styles.dot}>{s.number}</div>
              <div className={styles.card}>
                <div className={styles.cardHead}>
                  <h3 className={styles.title}>{s.title}</h3>
                  <span className={`${styles.status} ${styles.sWaiting}`}>
                    {a === "NEVER"
                      ? "not applicable"
                      : a === "SITUATIONAL"
                        ? "decided at the visit"
                        : s.byWorker
                          ? "performed by the worker"
                          : "by hand"}
                  </span>
                </div>
              </div>
            </li>
          );
        })}
      </ol>
    </>
  );
}
