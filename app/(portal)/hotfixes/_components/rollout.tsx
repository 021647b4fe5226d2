import type { TRolloutTile } from "@/lib/server/hotfixes/rollout";
import styles from "./rollout.module.css";

export const APPLICATION_LABEL = {
  APPLIED: { text: "applied, not verified", tone: "warn" },
  VERIFIED: { text: "verified", tone: "ok" },
  FAILED: { text: "failed", tone: "bad" },
  UNAPPLIED: { text: "unapplied", tone: "" },
} as const;

const FIRST = {
  frontend: "a front end",
  backend: "a back end",
  common: "any server",
} as const;

/**
 * The staged rule drawn as three stages, the current one marked, then every
 * server of the product as a tile: its state, and whether it may go next or
 * why it waits (H3).
 */
export function Rollout({
  component,
  released,
  tiles,
  actions,
}: {
  component: "frontend" | "backend" | "common";
  released: boolean;
  tiles: TRolloutTile[];
  actions?: (tile: TRolloutTile) => React.ReactNode;
}) {
  const first = tiles.find((t) => t.state === "APPLIED" || t.state === "VERIFIED");
  const stage = !released ? 0 : !first ? 1 : first.state !== "VERIFIED" ? 2 : 3;
  const stages = [
    {
      n: 1,
      title: `First: ${FIRST[component]}`,
      text: "One server gets the hotfix and is restarted.",
    },
    {
      n: 2,
      title: "Verify it",
      text:
        component === "backend"
          ? "Signed, with Maximum Processes 0 on every unpatched back end."
          : component === "frontend"
            ? "Signed, connected to that front end directly, not through the load balancer."
            : "Signed by a critical admin.",
    },
    { n: 3, title: "Then the rest", text: "Every other server, each verified in turn." },
  ];
  const groups = [
    { role: "FRONTEND", label: "Front ends" },
    { role: "BACKEND", label: "Back ends" },
  ] as const;
  return (
    <div className={styles.rollout}>
      <ol className={styles.stages} aria-label="The staged rollout">
        {stages.map((s) => (
          <li
            key={s.n}
            className={s.n < stage ? styles.done : s.n === stage ? styles.current : undefined}
            aria-current={s.n === stage ? "step" : undefined}
          >
            <b>
              {s.n}. {s.title}
            </b>
            <span>{s.text}</span>
          </li>
        ))}
      </ol>
      {!released && (
        <p className="notice warn">
          Not released: no server may take it until a second person signs its release.
        </p>
      )}
      {groups.map((g) => {
        const mine = tiles.filter((t) => t.role === g.role);
        return (
          <section key={g.role} aria-label={g.label}>
            <h3>{g.label}</h3>
            {mine.length === 0 && (
              <p className="muted small">No {g.label.toLowerCase()} run this product.</p>
            )}
            <div className={styles.tiles}>
              {mine.map((t) => {
                const tone = t.state
                  ? APPLICATION_LABEL[t.state].tone
                  : t.next.ok
                    ? "next"
                    : "wait";
                return (
                  <article
                    key={t.slug}
                    className={`${styles.tile} ${styles[tone || "none"]}`}
                    data-testid={`tile-${t.slug}`}
                  >
                    <header>
                      <b className="mono">{t.slug}</b>
                      <span className="small muted">
                        {t.product} {t.version}
                      </span>
                    </header>
                    <p className={styles.state}>
                      {t.state
                        ? t.unapplyUnverified
                          ? "unapplied, not verified"
                          : APPLICATION_LABEL[t.state].text
                        : t.next.ok
                          ? t.next.first
                            ? "may go first"
                            : "may go next"
                          : "waits"}
                    </p>
                    {t.error && <p className={`small ${styles.why}`}>{t.error}</p>}
                    {!t.next.ok && t.next.code !== "ALREADY_APPLIED" && (
                      <p className={`small ${styles.why}`}>{t.next.reason}</p>
                    )}
                    {actions?.(t)}
                  </article>
                );
              })}
            </div>
          </section>
        );
      })}
    </div>
  );
}
