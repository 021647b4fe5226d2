import Link from "next/link";
import { notFound } from "next/navigation";
import { pageActor } from "@/lib/auth/require-actor";
import { can } from "@/lib/domain/permissions";
import { isAppError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { hotfixRollout } from "@/lib/server/hotfixes/rollout";
import { deleteHotfixAction } from "@/lib/actions/hotfixes";
import { ActionForm } from "@/app/_components/action-form";
import { Rollout } from "../_components/rollout";
import { HotfixSign } from "../_components/hotfix-sign";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: (await params).name };
}

export default async function HotfixPage({ params }: { params: Promise<{ name: string }> }) {
  const actor = await pageActor("hotfix:read");
  const { name } = await params;
  const rollout = await hotfixRollout({ actor, name }).catch((e) => {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  const { hotfix: h, tiles } = rollout;
  const manages = can(actor.roles, "hotfix:manage");
  const mayRelease =
    !h.release && can(actor.roles, "hotfix:release") && rollout.uploadedById !== actor.id;
  const appliedSomewhere = h.applications.some(
    (a) => a.state === "APPLIED" || a.state === "VERIFIED",
  );
  return (
    <>
      <div className="page-head">
        <p className="small muted">
          <Link href="/hotfixes">Hotfixes</Link> / {h.issue}
        </p>
        <h1 className="hotfix-name">{h.name}</h1>
        <p>
          {h.product} {h.version} · {h.component} · issue <span className="mono">{h.issue}</span> ·
          uploaded by {h.uploadedBy} on {formatDateTime(new Date(h.uploadedAt))}
        </p>
        <p className="small mono muted digest">
          {h.fileName} · sha256 {h.sha256}
        </p>
        <p className="small">
          <a href={`/hotfixes/${h.name}/evidence`} download>
            Download the evidence bundle
          </a>{" "}
          (file, signed release and verifications, applications, audit events; check it with{" "}
          <code>patchgate verify</code> and the <a href="/api/portal-key">portal key</a>)
        </p>
      </div>

      <section className="panel">
        <div className="panel-head">
          <h2>Release</h2>
          {h.release ? (
            <span className="chip ok">
              released by {h.release.by} on {formatDateTime(new Date(h.release.at))}
            </span>
          ) : (
            <span className="chip warn">not released</span>
          )}
        </div>
        {!h.release && (
          <p className="small muted">
            A critical admin or assessor other than the uploader signs the release; until then no
            server may take it.
          </p>
        )}
        {mayRelease && <HotfixSign name={h.name} kind="hotfix-release" label="Sign the release" />}
      </section>

      <section className="panel">
        <h2>Rollout</h2>
        <Rollout
          component={h.component as "frontend" | "backend" | "common"}
          released={Boolean(h.release)}
          tiles={tiles}
          actions={(t) =>
            manages && (t.state === "APPLIED" || t.unapplyUnverified) ? (
              <HotfixSign
                name={h.name}
                kind="hotfix-verify"
                server={t.slug}
                role={t.role}
                label={t.state === "APPLIED" ? "Sign verification" : "Verify the unapply"}
              />
            ) : null
          }
        />
        <p className="small muted">
          On each server:{" "}
          <code>
            PATCHGATE_URL=… PATCHGATE_TOKEN=… npx patchgate hotfix apply {h.name} --server
            &lt;slug&gt; --root &lt;install root&gt; --restart &quot;supervisorctl restart all&quot;
          </code>
        </p>
      </section>

      <section className="panel">
        <h2>Files</h2>
        <div className="table-scroll">
          <table className="list hashes">
            <thead>
              <tr>
                <th>Path under the install root</th>
                <th>SHA-256 before</th>
                <th>SHA-256 after</th>
              </tr>
            </thead>
            <tbody>
              {h.files.map((f) => (
                <tr key={f.path}>
                  <td className="mono">{f.path}</td>
                  <td className="mono small">{f.sha256Before ?? <i>added by the hotfix</i>}</td>
                  <td className="mono small">{f.sha256After}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {manages && (
        <section className="panel">
          <h2>Delete</h2>
          {appliedSomewhere ? (
            <p className="small muted">
              A hotfix is deleted only when it is applied to no server: unapply it everywhere first.
            </p>
          ) : (
            <ActionForm
              action={deleteHotfixAction}
              submit="Delete this hotfix"
              submitClass="danger"
              confirm={`Delete ${h.name}? Its history stays in the audit log.`}
            >
              <input type="hidden" name="name" value={h.name} />
            </ActionForm>
          )}
        </section>
      )}
    </>
  );
}
