import Link from "next/link";
import { notFound } from "next/navigation";
import { pageActor } from "@/lib/auth/require-actor";
import { ZodError } from "zod";
import { isAppError } from "@/lib/errors";
import { getPatch } from "@/lib/server/patches/get-patch";
import { formatDateTime } from "@/lib/format";
import { StateChip } from "../_components/state-chip";
import { GateTimeline } from "./_components/gate-timeline";
import { DiffView } from "./_components/diff-view";
import { SignActions } from "./_components/sign-actions";
import { ShownDiffProvider } from "@/app/_components/signing/shown-diff";
import { LineCommentDraftsProvider } from "../_components/line-comment-drafts";
import { NewRevisionForm } from "./_components/new-revision-form";

export const metadata = { title: "Patch" };

export default async function PatchPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor("patch:read");
  const { id } = await params;
  let view;
  try {
    view = await getPatch({ actor, patchId: id });
  } catch (e) {
    // An id no patch can have (a NUL, too long) is not found either.
    if ((isAppError(e) && e.code === "NOT_FOUND") || e instanceof ZodError) notFound();
    throw e;
  }

  // The signed line comments of the revision shown, inline for everyone.
  const signedComments = view.signoffs
    .filter((s) => !s.superseded)
    .flatMap((s) =>
      s.lineComments.map((c) => ({ ...c, by: s.signer?.name ?? "unknown", verdict: s.verdict })),
    );

  return (
    <ShownDiffProvider>
      <LineCommentDraftsProvider patchId={view.id} revision={view.revision}>
        <div className="page-head patch-head">
          <div className="crumbs small">
            <Link href="/patches">Patches</Link> / #{view.number}
          </div>
          <div className="head-row">
            <h1>
              {view.title} <span className="muted patch-no">#{view.number}</span>
            </h1>
            <StateChip state={view.state} />
          </div>
          <p className="small">
            {/* A plain link: the route answers with the .tar.gz as an attachment. */}
            <a href={`/patches/${view.id}/evidence`} download>
              Download the dossier
            </a>{" "}
            <span className="muted">
              — every statement, signature, key, diff and audit event, sealed by the{" "}
              <a href="/api/portal-key">portal key</a>; check it offline against that key with gpg
              or <code>npx patchgate verify DOSSIER --portal-key portal-key.asc</code>.
            </span>
          </p>
          <dl className="facts">
            <div>
              <dt>Bug</dt>
              <dd>
                <strong>#{view.bugId}</strong> {view.bugSummary}
              </dd>
            </div>
            <div>
              <dt>System</dt>
              <dd>
                {view.system.name} <span className="mono muted small">{view.system.slug}</span>
              </dd>
            </div>
            <div>
              <dt>Author</dt>
              <dd>{view.author?.name ?? "unknown"}</dd>
            </div>
            <div>
              <dt>Revision</dt>
              <dd>
                r{view.revision} <span className="muted small">of {view.revisions.length}</span>
              </dd>
            </div>
            <div className="wide">
              <dt>SHA-256 of the diff</dt>
              <dd className="mono sha" data-testid="diff-sha256">
                {view.diffSha256}
              </dd>
            </div>
          </dl>
        </div>

        {view.withdrawal && (
          <section className="panel withdrawn-panel" data-testid="withdrawal">
            <h2>Withdrawn</h2>
            <p className="small">
              Withdrawn by {view.withdrawal.by.name} on {formatDateTime(view.withdrawal.time)},
              signed with key <span className="mono">{view.withdrawal.fingerprint.slice(-16)}</span>
              . The patch takes no more sign-offs or revisions and is in no queue.
            </p>
            <blockquote className="summary-text">{view.withdrawal.reason}</blockquote>
          </section>
        )}

        <section className="panel timeline-panel">
          <div className="panel-head">
            <h2>Gates</h2>
            <span className="small muted">
              {view.policy.reviewsRequired} approving reviews and {view.policy.testsRequired} passed
              tests by distinct people; the author never counts.
            </span>
          </div>
          <GateTimeline view={view} />
          <SignActions view={view} actor={actor} />
        </section>

        <div className="patch-body">
          <section className="panel">
            <h2>Summary</h2>
            <p className="summary-text">{view.summary}</p>
            <h3>Revisions</h3>
            <ul className="revisions small">
              {view.revisions
                .slice()
                .reverse()
                .map((r) => (
                  <li key={r.number} className={r.number === view.revision ? "" : "muted"}>
                    <strong>r{r.number}</strong> by {r.uploadedBy?.name ?? "unknown"},{" "}
                    {formatDateTime(r.createdAt)} · {r.fileCount} file{r.fileCount === 1 ? "" : "s"}
                    , {r.sizeBytes} bytes ·{" "}
                    <span className="mono">{r.diffSha256.slice(0, 16)}…</span>
                  </li>
                ))}
            </ul>
            {view.may.revise && (
              <NewRevisionForm patchId={view.id} next={view.revisions.length + 1} />
            )}
          </section>
        </div>
        <section className="panel diff-panel">
          <h2>Diff (r{view.revision})</h2>
          <DiffView
            patchId={view.id}
            revision={view.revision}
            expectedSha256={view.diffSha256}
            signed={signedComments}
            canComment={view.may.review.length > 0}
          />
        </section>
      </LineCommentDraftsProvider>
    </ShownDiffProvider>
  );
}
