import { progressOf, type TDeploymentView } from "./step-status";
import styles from "./checklist.module.css";

export function ProgressBar({ deployment }: { deployment: TDeploymentView }) {
  const { done, failed: failedSteps, queued, total } = progressOf(deployment);
  const pct = (n: number) => `${total ? (100 * n) / total : 0}%`;
  const failed = deployment.state === "FAILED";
  return (
    <div className={styles.progress} data-testid="progress">
      <div className={styles.progressTop}>
        <span>
          <strong>
            {done} of {total}
          </strong>{" "}
          steps done{queued > 0 && `, ${queued} queued for the worker`}
        </span>
        <span className="muted small">
          {failed
            ? "stopped at the failed step"
            : done === total
              ? "complete"
              : `${Math.round((100 * done) / (total || 1))}%`}
        </span>
      </div>
      <div
        className={styles.track}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-label="Deployment progress"
      >
        <div className={styles.fill} style={{ width: pct(done) }} />
        {failedSteps > 0 && (
          <div
            className={`${styles.fill} ${styles.fillFailed}`}
            style={{ width: pct(failedSteps) }}
          />
        )}
        <div className={`${styles.fill} ${styles.fillQueued}`} style={{ width: pct(queued) }} />
      </div>
    </div>
  );
}
