"use client";

import { ActionForm } from "@/app/_components/action-form";
import { addRevisionAction } from "@/lib/actions/patches";

/** Rework: the same patch, a new diff. Every earlier sign-off stays visible but stops counting. */
export function NewRevisionForm({ patchId, next }: { patchId: string; next: number }) {
  return (
    <details className="new-revision">
      <summary>Upload revision r{next}</summary>
      <ActionForm action={addRevisionAction} submit={`Upload r${next}`} submitClass="secondary">
        <input type="hidden" name="patchId" value={patchId} />
        <label>
          Diff file of the new revision
          <input name="diff" type="file" accept=".diff,.patch,text/x-diff,text/plain" required />
        </label>
        <p className="small muted">
          Reviews, tests and the request of earlier revisions stop counting; they stay in the
          record, marked superseded.
        </p>
      </ActionForm>
    </details>
  );
}
