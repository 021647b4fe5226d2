import { formatDateTime, formatFingerprint } from "@/lib/format";
import { SignDialog } from "../../../_components/sign-dialog";
import type { TDeploymentView } from "./step-status";
import styles from "./checklist.module.css";

type TSeat = { role: "CRITICAL_ADMIN" | "ACCESS_ENGINEER"; label: string };
const SEATS: TSeat[] = [
  { role: "CRITICAL_ADMIN", label: "Critical admin" },
  { role: "CRITICAL_ADMIN", label: "Critical admin" },
  { role: "ACCESS_ENGINEER", label: "Access engineer" },
];

/**
 * P6: the signing-server visit. Two critical admins and one access engineer
 * each sign a presence statement; until then no step can be ticked.
 */
export function VisitPanel({
  patchId,
  deployment,
  mayAttend,
  signed,
}: {
  patchId: string;
  deployment: TDeploymentView;
  mayAttend: boolean;
  signed: boolean;
}) {
  const { visit } = deployment;
  const byRole = {
    CRITICAL_ADMIN: visit.presence.filter((p) => p.role === "CRITICAL_ADMIN"),
    ACCESS_ENGINEER: visit.presence.filter((p) => p.role === "ACCESS_ENGINEER"),
  };
  const used = { CRITICAL_ADMIN: 0, ACCESS_ENGINEER: 0 };
  const extra = visit.presence.length > 3;
  return (
    <section
      className={`${styles.visit} ${visit.met ? styles.visitMet : ""}`}
      aria-labelledby="visit-h"
      data-testid="visit"
    >
      <div className={styles.cardHead}>
        <h2 id="visit-h" style={{ margin: 0 }}>
          Visit to the signing server
        </h2>
        <span
          className={`${styles.status} ${visit.met ? styles.sDone : styles.sDecide}`}
          data-testid="visit-status"
        >
          {visit.met
            ? "visit recorded"
            : `${visit.criticalAdmins} of 2 critical admins · ${visit.accessEngineers} of 1 access engineer`}
        </span>
      </div>
      <p className="small muted" style={{ marginTop: "0.4rem" }}>
        Two critical admins and one access engineer sign their presence before any step is ticked.
      </p>
      <div className={styles.seats}>
        {SEATS.map((seat, i) => {
          const who = byRole[seat.role][used[seat.role]++];
          return (
            <div
              key={i}
              className={`${styles.seat} ${who ? styles.seatSigned : ""}`}
              data-testid="seat"
            >
              <div className={styles.seatRole}>{seat.label}</div>
              {who ? (
                <>
                  <div className={styles.seatName}>✓ {who.name}</div>
                  <div className={styles.seatFpr}>{formatFingerprint(who.fingerprint)}</div>
                  <div className="small muted">{formatDateTime(who.time)}</div>
                </>
              ) : (
                <div className="small muted" style={{ marginTop: "0.35rem" }}>
                  not signed yet
                </div>
              )}
            </div>
          );
        })}
      </div>
      {extra && (
        <p className="small muted">
          Also present:{" "}
          {[...byRole.CRITICAL_ADMIN.slice(2), ...byRole.ACCESS_ENGINEER.slice(1)]
            .map((p) => `${p.name} (${formatFingerprint(p.fingerprint)})`)
            .join("; ")}
        </p>
      )}
      {deployment.state === "OPEN" && mayAttend && !signed && (
        <SignDialog patchId={patchId} kind="presence" label="Sign my presence" />
      )}
      {signed && (
        <p className="small" style={{ margin: 0 }}>
          You signed your presence for this visit.
        </p>
      )}
    </section>
  );
}
