import Link from "next/link";
import { notFound } from "next/navigation";
import { ZodError } from "zod";
import { pageActor } from "@/lib/auth/require-actor";
import { can } from "@/lib/domain/permissions";
import { isAppError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { getUpdate } from "@/lib/server/release-updates/update-facts";
import { listHttpsHosts } from "@/lib/server/release-updates/allowed-hosts";
import { editUpdateAction } from "@/lib/actions/release-updates";
import { ActionForm } from "@/app/_components/action-form";
import { BodyView } from "../_components/body-view";
import { SeriesGrid } from "../_components/series-grid";
import { SeriesForms } from "../_components/series-forms";
import { TagChips, UpdateStateChip } from "../_components/tag-chips";
import { AckSign, ReviewSign, SubmitSign } from "../_components/update-sign";
import styles from "../_components/release-updates.module.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "Release update" };

async function load(actor: Awaited<ReturnType<typeof pageActor>>, id: string) {
  try {
    return await getUpdate({ actor, id });
  } catch (e) {
    if ((isAppError(e) && e.code === "NOT_FOUND") || e instanceof ZodError) notFound();
    throw e;
  }
}

const when = (d: string | Date) => formatDateTime(new Date(d));

export default async function UpdatePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor("update:read");
  const { id } = await params;
  const u = await load(actor, id);
  const submits = can(actor.roles, "update:submit");
  const reviews = can(actor.roles, "update:review");
  const verifies = can(actor.roles, "update:verify");
  const open = u.state === "SUBMITTED";
  // Testers see where the HTTPS check may point (the admin-kept allow-list).
  const hosts =
    verifies && u.state === "APPROVED" ? (await listHttpsHosts({ actor })).map((h) => h.host) : [];
  const editable = submits;
  // A draft's changes are those of its text as it stands; once submitted, of the signed revision.
  const changes = u.majorChanges;
  return (
    <>
      <div className="page-head">
        <p className="small muted">
          <Link href="/updates">Release updates</Link> / #{u.number}
        </p>
        <h1 className={styles.wrap}>
          #{u.number} {u.title}
        </h1>
        <div className="chips">
          <UpdateStateChip state={u.state} />
          <span className="chip">revision {u.revision || "not submitted"}</span>
          <TagChips tags={u.tags} />
        </div>
        <dl className={styles.facts} style={{ marginTop: "0.75rem" }}>
          <dt>Packages</dt>
          <dd className="mono">{u.packages.join(", ")}</dd>
          <dt>Version</dt>
          <dd className="mono">{u.version}</dd>
          <dt>Series</dt>
          <dd className="mono">{u.series.join(", ")}</dd>
          <dt>Bug</dt>
          <dd>{u.bugId}</dd>
          <dt>System</dt>
          <dd>{u.system.name}</dd>
          <dt>Template</dt>
          <dd>{u.template.name}</dd>
          <dt>Created</dt>
          <dd>
            by {u.createdBy.name}, {when(u.createdAt)}
          </dd>
        </dl>
        <p className="small" style={{ marginTop: "0.75rem" }}>
          <a href={`/updates/${u.id}/evidence`} download>
            Download the evidence bundle
          </a>{" "}
          (the revisions, statements, evidence and audit events; check it with{" "}
          <code>patchgate verify</code>)
        </p>
      </div>

      <section className="panel" aria-labelledby="text-head">
        <div className="panel-head">
          <h2 id="text-head">The record</h2>
          {u.todos.length > 0 ? (
            <span className="chip warn" data-testid="todo-count">
              {u.todos.length} TODO{u.todos.length === 1 ? "" : "s"} left
            </span>
          ) : (
            <span className="chip ok">no TODO left</span>
          )}
        </div>
        <BodyView body={u.body} />
        {submits && u.state === "DRAFT" && (
          <div className={styles.signBar}>
            <SubmitSign id={u.id} />
            <span className="small muted">
              Submitting is refused while any TODO remains.
              {u.revision > 0 && ` It makes revision ${u.revision + 1}.`}
            </span>
          </div>
        )}
      </section>

      {editable && (
        <section className="panel" aria-labelledby="edit-head">
          <details open={u.state === "DRAFT"}>
            <summary>
              <h2 id="edit-head" style={{ display: "inline" }}>
                Edit
              </h2>
            </summary>
            <p className="small muted">
              Replace each <mark>TODO</mark>. An edit after submission starts a new draft: the
              reviews, acknowledgements and verifications of earlier revisions do not carry over.
            </p>
            <ActionForm action={editUpdateAction} submit="Save" className={styles.editor}>
              <input type="hidden" name="id" value={u.id} />
              <div className={styles.factFields}>
                <label>
                  Title
                  <input name="title" defaultValue={u.title} required maxLength={200} />
                </label>
                <label>
                  Packages
                  <input name="packages" defaultValue={u.packages.join(", ")} required />
                </label>
                <label>
                  Version
                  <input name="version" defaultValue={u.version} required maxLength={100} />
                </label>
                <label>
                  Series
                  <input name="series" defaultValue={u.series.join(", ")} required />
                </label>
                <label>
                  Bug
                  <input name="bugId" defaultValue={u.bugId} required maxLength={100} />
                </label>
              </div>
              {u.sections.map((s) => (
                <label key={`${s.title}-${s.line}`}>
                  {s.title}
                  <textarea
                    name={`section:${s.title}`}
                    defaultValue={s.text}
                    rows={Math.min(16, Math.max(4, s.text.split("\n").length + 2))}
                  />
                </label>
              ))}
            </ActionForm>
          </details>
        </section>
      )}

      <section className="panel" aria-labelledby="changes-head">
        <h2 id="changes-head">Major changes</h2>
        {u.state === "DRAFT" && changes.length > 0 && (
          <p className="small muted">
            As the draft lists them; reviewers acknowledge them once it is submitted.
          </p>
        )}
        {changes.length === 0 ? (
          <p className="small muted">The Major Changes section lists no change yet.</p>
        ) : (
          <ol className={styles.changes}>
            {changes.map((c) => (
              <li
                key={c.number}
                className={`${styles.change} ${c.incompatible ? styles.incompatible : ""}`}
                data-testid={`change-${c.number}`}
              >
                <div className={styles.changeHead}>
                  <b>{c.number}.</b>
                  {c.incompatible && <span className="chip bad">not backwards compatible</span>}
                  {c.incompatible &&
                    (c.acknowledged ? (
                      <span className="chip ok" data-testid={`ack-${c.number}`}>
                        acknowledged by {c.acknowledged.by.name}, {when(c.acknowledged.at)}
                      </span>
                    ) : (
                      <span className="chip warn">needs an acknowledgement</span>
                    ))}
                </div>
                <p className={styles.changeText}>{c.text}</p>
                {c.incompatible && !c.acknowledged && reviews && open && (
                  <AckSign id={u.id} change={c.number} text={c.text} />
                )}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section className="panel" aria-labelledby="reviews-head">
        <div className="panel-head">
          <h2 id="reviews-head">Reviews</h2>
          {u.outcome && (
            <span className="small muted">
              {u.outcome.approvals} of {u.outcome.required} approvals
            </span>
          )}
        </div>
        {u.reviews.length === 0 ? (
          <p className="small muted">No review of this revision yet.</p>
        ) : (
          <ul className={styles.changes}>
            {u.reviews.map((r) => (
              <li
                key={r.id}
                className={`${styles.change} ${r.revision !== u.revision ? "muted" : ""}`}
              >
                <span className={`chip ${r.verdict === "approve" ? "ok" : "bad"}`}>
                  {r.verdict}
                </span>{" "}
                <b>{r.signer.name}</b>{" "}
                <span className="small muted">
                  revision {r.revision}
                  {r.revision !== u.revision && " (void: the text changed since)"} · {when(r.at)}
                </span>
                {r.comment && <p className={`small ${styles.changeText}`}>{r.comment}</p>}
              </li>
            ))}
          </ul>
        )}
        {u.outcome && u.outcome.waitingFor.length > 0 && (
          <p className="small" data-testid="waiting-for">
            Waiting for: {u.outcome.waitingFor.join("; ")}.
          </p>
        )}
        {reviews && open && (
          <div className={styles.signBar}>
            <ReviewSign id={u.id} />
            <span className="small muted">The submitter&apos;s own review never counts.</span>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="verify-head">
        <h2 id="verify-head">Verification per series</h2>
        <SeriesGrid verification={u.verification} />
        {u.state === "APPROVED" ? (
          u.verification.map((row) => (
            <SeriesForms key={row.series} update={u} row={row} mayVerify={verifies} hosts={hosts} />
          ))
        ) : (
          <p className="small muted">Testers verify each series once the update is approved.</p>
        )}
      </section>

      <section className="panel" aria-labelledby="revisions-head">
        <h2 id="revisions-head">Revisions</h2>
        {u.revisions.length === 0 ? (
          <p className="small muted">Not submitted yet.</p>
        ) : (
          <ol className={styles.evidence}>
            {u.revisions.map((r) => (
              <li key={r.number}>
                Revision {r.number}
                {` signed by ${r.submittedBy.name}, ${when(r.at)}`}
                {r.bodySha256 && <span className="mono small muted"> sha256 {r.bodySha256}</span>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
