import { ActionForm } from "@/app/_components/action-form";
import {
  recordAcmeEvidenceAction,
  recordSmokeEvidenceAction,
  requestHttpsCheckAction,
} from "@/lib/actions/release-updates";
import type { TUpdateView } from "./types";
import { VerifySign } from "./update-sign";
import styles from "./release-updates.module.css";

const SHOWN = [
  "domain",
  "acmeServer",
  "subject",
  "sans",
  "issuer",
  "notBefore",
  "notAfter",
  "sha256",
  "url",
  "result",
  "hostValid",
  "chainValid",
  "reason",
] as const;

/** The facts an evidence row or HTTPS check recorded, as short lines. */
function Facts({ label, facts }: { label: string; facts: unknown }) {
  if (!facts || typeof facts !== "object") return null;
  const flat: Record<string, unknown> = { ...(facts as Record<string, unknown>) };
  for (const inner of ["facts", "certificate"])
    if (flat[inner] && typeof flat[inner] === "object")
      Object.assign(flat, flat[inner] as Record<string, unknown>);
  const rows = SHOWN.filter((k) => flat[k] !== undefined && flat[k] !== null && flat[k] !== "").map(
    (k) => [k, Array.isArray(flat[k]) ? (flat[k] as unknown[]).join(", ") : String(flat[k])],
  );
  if (!rows.length) return null;
  return (
    <li>
      <b>{label}</b>:{" "}
      {rows.map(([k, v], i) => (
        <span key={k}>
          {i > 0 && " · "}
          {k} <span className="mono">{v}</span>
        </span>
      ))}
    </li>
  );
}

/**
 * One series for a tester: what is recorded so far, the three evidence forms
 * (ACME certificate, dep8 result, HTTPS check of apache or nginx) and the signed
 * verification. Every action is authorized by its use-case (update:verify).
 */
export function SeriesForms({
  update,
  row,
  mayVerify,
  hosts,
}: {
  update: TUpdateView;
  row: TUpdateView["verification"][number];
  mayVerify: boolean;
  /** The HTTPS-check allow-list. */
  hosts: string[];
}) {
  const s = row.series;
  const hidden = (
    <>
      <input type="hidden" name="id" value={update.id} />
      <input type="hidden" name="series" value={s} />
    </>
  );
  return (
    <details
      className={styles.seriesPanel}
      data-testid={`series-${s}`}
      open={row.verdict !== "done"}
    >
      <summary>
        {s} — {row.tag ?? `verification ${row.verdict}`}
      </summary>
      <ul className={styles.evidence}>
        <Facts label="ACME" facts={row.checks.acme.evidence} />
        <Facts label="apache HTTPS" facts={row.checks.apache.check} />
        <Facts label="nginx HTTPS" facts={row.checks.nginx.check} />
        <Facts label="dep8 smoke" facts={row.checks.smoke.evidence} />
        {row.verifiedBy && (
          <li>
            <b>Signed {row.verifiedBy.verdict}</b> by {row.verifiedBy.signer.name}
          </li>
        )}
      </ul>
      {mayVerify && (
        <div className={styles.forms}>
          <ActionForm action={recordAcmeEvidenceAction} submit="Record ACME certificate">
            <h4>ACME certificate</h4>
            {hidden}
            <label>
              Domain
              <input name="domain" required maxLength={253} placeholder="test.example.org" />
            </label>
            <label>
              ACME server
              <input
                name="acmeServer"
                required
                maxLength={500}
                placeholder="https://acme-staging-v02.api.letsencrypt.org/directory"
              />
            </label>
            <label>
              Certificate (PEM)
              <textarea name="certificate" required placeholder="-----BEGIN CERTIFICATE-----" />
            </label>
          </ActionForm>
          <ActionForm action={recordSmokeEvidenceAction} submit="Record dep8 result">
            <h4>dep8 smoke test</h4>
            {hidden}
            <label>
              Link to the result
              <input
                name="url"
                type="url"
                required
                maxLength={500}
                placeholder="https://autopkgtest.ubuntu.com/…"
              />
            </label>
            <label>
              Result
              <select name="result" defaultValue="pass">
                <option value="pass">pass</option>
                <option value="fail">fail</option>
              </select>
            </label>
          </ActionForm>
          <ActionForm action={requestHttpsCheckAction} submit="Check over HTTPS">
            <h4>HTTPS check</h4>
            {hidden}
            <label>
              Server
              <select name="server" defaultValue="apache">
                <option value="apache">apache</option>
                <option value="nginx">nginx</option>
              </select>
            </label>
            <label>
              URL (https, an allow-listed host)
              <input name="url" required maxLength={500} placeholder="https://test.example.org/" />
            </label>
            <p className={`small muted ${styles.wrap}`}>
              {hosts.length
                ? `Allowed hosts: ${hosts.join(", ")}.`
                : "No host is allowed yet: an admin adds it under HTTPS hosts."}
            </p>
            <label>
              CA bundle (PEM, optional; default the system&apos;s trust store)
              <textarea name="caBundle" />
            </label>
          </ActionForm>
        </div>
      )}
      {mayVerify && (
        <div className={styles.signBar}>
          <VerifySign
            id={update.id}
            series={s}
            packages={update.packages}
            version={update.version}
          />
          <span className="small muted">
            Sign <b>pass</b> once every check is ok; the comment goes to bug {update.bugId}.
          </span>
        </div>
      )}
    </details>
  );
}
