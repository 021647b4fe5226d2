import Link from "next/link";
import { notFound } from "next/navigation";
import { ZodError } from "zod";
import { pageActor } from "@/lib/auth/require-actor";
import { can } from "@/lib/domain/permissions";
import { isAppError } from "@/lib/errors";
import { formatDateTime, formatFingerprint } from "@/lib/format";
import { getPackage } from "@/lib/server/updates/package-queries";
import { getInstallation } from "@/lib/server/updates/installations";
import { packageUpdateView } from "@/lib/server/updates/update-pages";
import { reverifyPackageAction } from "@/lib/actions/updates";
import { ActionForm } from "@/app/_components/action-form";
import {
  CHANNEL_LABEL,
  MODE_LABEL,
  modeValue,
  StateChip,
} from "../../installations/_components/labels";
import { Checklist } from "../../installations/_components/checklist";
import { ApplySign } from "../../installations/_components/package-sign";
import styles from "../../installations/_components/updates.module.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "Update package" };

async function load(actor: Awaited<ReturnType<typeof pageActor>>, id: string) {
  try {
    const [p, u] = await Promise.all([getPackage({ actor, id }), packageUpdateView({ actor, id })]);
    const inst = await getInstallation({ actor, slug: p.installation.slug });
    return { p, u, inst };
  } catch (e) {
    if ((isAppError(e) && e.code === "NOT_FOUND") || e instanceof ZodError) notFound();
    throw e;
  }
}

export default async function PackagePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor("package:read");
  const { id } = await params;
  const { p, u, inst } = await load(actor, id);
  const manages = can(actor.roles, "package:manage");
  const applies = can(actor.roles, "package:apply");
  const mode = modeValue(u ? u.mode : inst.mode);
  return (
    <>
      <div className="page-head">
        <p className="small muted">
          <Link href="/installations">Installations</Link> /{" "}
          <Link href={`/installations/${inst.slug}`}>{inst.name}</Link> / package
        </p>
        <h1 className="hotfix-name">{p.fileName}</h1>
        <p>
          Received {formatDateTime(new Date(p.receivedAt))} by{" "}
          {CHANNEL_LABEL[p.channel] ?? p.channel} · {p.bytes} bytes
        </p>
        <p className="small mono muted digest">sha256 {p.sha256}</p>
        <p className="small">
          <a href={`/packages/${p.id}/evidence`} download>
            Download the evidence bundle
          </a>{" "}
          (the package, its verdicts, the trusted certificates and the statements; check it with{" "}
          <code>patchgate verify</code> and the <a href="/api/portal-key">portal key</a>)
        </p>
      </div>

      <section className="panel" aria-labelledby="verdict-head">
        <div className="panel-head">
          <h2 id="verdict-head">Verdict</h2>
          <StateChip state={p.state} />
        </div>
        {p.state === "QUARANTINED" ? (
          <>
            <p className="small muted">
              Quarantined: its content is never offered for use. The reason, as an admin can act on
              it:
            </p>
            <p className={styles.reason} data-testid="quarantine-reason">
              {p.reason}
            </p>
            {manages && (
              <ActionForm action={reverifyPackageAction} submit="Re-verify">
                <input type="hidden" name="id" value={p.id} />
                <p className="small muted">
                  After replacing the certificate on{" "}
                  <Link href={`/installations/${inst.slug}`}>the installation</Link>, verify this
                  package again against the certificates trusted now. A new verdict is recorded.
                </p>
              </ActionForm>
            )}
          </>
        ) : (
          <p>
            Verified exactly as <code>openssl smime -verify</code> would, against the
            installation&apos;s trusted certificates.{" "}
            <a href={`/packages/${p.id}/content`} download>
              Download the content
            </a>{" "}
            <span className={`small muted mono ${styles.wrap}`}>(sha256 {p.contentSha256})</span>
          </p>
        )}
        {p.signer && (
          <dl className={`${styles.kv} ${styles.signer}`}>
            <dt>Signer</dt>
            <dd>{p.signer.subject}</dd>
            <dt>Issued by</dt>
            <dd>{p.signer.issuer}</dd>
            {p.signer.notAfter && (
              <>
                <dt>Signer valid until</dt>
                <dd>{formatDateTime(new Date(p.signer.notAfter))}</dd>
              </>
            )}
          </dl>
        )}
      </section>

      <section className="panel" aria-labelledby="history-head">
        <h2 id="history-head">Verdict history</h2>
        <div className="table-scroll">
          <table className="list">
            <thead>
              <tr>
                <th>When</th>
                <th>Verdict</th>
                <th>By</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {[...p.verdicts].reverse().map((v) => (
                <tr key={v.at}>
                  <td className={`small ${styles.nowrap}`}>{formatDateTime(new Date(v.at))}</td>
                  <td>
                    <span className={`chip ${v.state === "VERIFIED" ? "ok" : "bad"}`}>
                      {v.state}
                    </span>
                  </td>
                  <td className="small">{v.by ?? "on receipt"}</td>
                  <td className={`small ${styles.reasonCell}`}>{v.reason ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel" aria-labelledby="update-head">
        <div className="panel-head">
          <h2 id="update-head">Update ({MODE_LABEL[mode] ?? mode})</h2>
          {u && (
            <span className={`chip ${u.state === "COMPLETED" ? "ok" : "warn"}`}>
              {u.state === "COMPLETED"
                ? "completed"
                : u.state === "AWAITING_APPLY"
                  ? "waiting for apply"
                  : "in progress"}
            </span>
          )}
        </div>
        {!u ? (
          <p className="small muted">
            A quarantined package gets no update record; once it is verified, the update follows the
            installation&apos;s mode.
          </p>
        ) : (
          <>
            {u.state === "COMPLETED" && (
              <div className={styles.completed} role="status" data-testid="update-completed">
                <span aria-hidden>✓</span>
                <p>
                  Completed {u.completedAt ? formatDateTime(u.completedAt) : ""}
                  {u.applied ? `, applied by ${u.applied.by.name}` : ""}.{" "}
                  {u.postUpdate
                    ? `The post-update event answered ${u.postUpdate.status ?? "nothing"} at ${formatDateTime(u.postUpdate.at)}.`
                    : inst.postUpdateUrl
                      ? "The worker calls the post-update event."
                      : "No post-update event is configured."}
                </p>
              </div>
            )}
            {u.postUpdate?.answer && (
              <pre className={`small ${styles.wrap}`} data-testid="post-update-answer">
                {u.postUpdate.answer}
              </pre>
            )}
            {u.applied && (
              <p className="small">
                Apply signed by <b>{u.applied.by.name}</b> on {formatDateTime(u.applied.at)} with
                key <span className="fingerprint">{formatFingerprint(u.applied.fingerprint)}</span>
              </p>
            )}
            {u.mode === "semi-automatic" && u.state === "AWAITING_APPLY" && (
              <>
                <p className="small muted">
                  Semi-automatic: an admin signs &ldquo;apply&rdquo;; the host then runs{" "}
                  <code>os4xupdate -f</code> on the verified content.
                </p>
                {applies && <ApplySign id={p.id} />}
              </>
            )}
            {u.checklist && (
              <>
                <p className="small muted">
                  Fetch the verified content on the host (
                  <code>npx patchgate package fetch {p.id} -o os4x_update.tgz</code>), then tick
                  each step in order; each tick is signed.
                </p>
                <Checklist
                  packageId={p.id}
                  checklist={u.checklist}
                  mayTick={applies && u.state !== "COMPLETED"}
                />
              </>
            )}
          </>
        )}
      </section>
    </>
  );
}
