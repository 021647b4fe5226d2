"use client";

import { useState } from "react";
import { issueStatementAction, recordSignoffAction } from "@/lib/actions/patches";
import { StatementSigner, VerdictPicker } from "@/app/_components/signing/statement-signer";
import { useLineCommentDrafts } from "./line-comment-drafts";

type Kind = "submit" | "review" | "test" | "request" | "presence" | "withdraw";

/** A patch sign-off (or a signing-server presence): verdict and comment, then the shared signing dialog. */
export function SignDialog({
  patchId,
  kind,
  verdicts,
  label,
}: {
  patchId: string;
  kind: Kind;
  verdicts?: string[];
  label: string;
}) {
  const [verdict, setVerdict] = useState(verdicts?.[0] ?? "");
  const [comment, setComment] = useState("");
  // A review signs the line comments drafted on the diff of this page.
  const allDrafts = useLineCommentDrafts();
  const drafts = kind === "review" ? allDrafts : null;
  const lineComments = drafts?.drafts ?? [];
  return (
    <StatementSigner
      label={label}
      buttonClass={
        kind === "withdraw"
          ? "danger sign-button"
          : kind === "review" || kind === "test"
            ? "secondary sign-button"
            : "sign-button"
      }
      issue={(keyFingerprint) =>
        issueStatementAction({
          patchId,
          kind,
          verdict: verdict || undefined,
          comment,
          keyFingerprint,
          lineComments,
        })
      }
      record={async (statement, signature) => {
        const r = await recordSignoffAction({ statement, signature });
        if (r?.ok) drafts?.clear();
        return r;
      }}
      form={
        <>
          {verdicts && verdicts.length > 1 && (
            <VerdictPicker verdicts={verdicts} value={verdict} onChange={setVerdict} />
          )}
          <label>
            {kind === "withdraw"
              ? "Reason (required, part of the signed text)"
              : "Comment (part of the signed text)"}
            <textarea
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              maxLength={4000}
              required={kind === "withdraw"}
              className="prose"
              placeholder={
                kind === "test"
                  ? "What you tested, where, and how."
                  : kind === "withdraw"
                    ? "Why the patch is withdrawn."
                    : "Optional."
              }
            />
          </label>
          {kind === "review" && (
            <p className="small muted" data-testid="line-comment-count">
              {lineComments.length === 0
                ? "No line comments: click a line number in the diff to add one."
                : `${lineComments.length} line comment${lineComments.length === 1 ? "" : "s"} from the diff will be signed with this review.`}
            </p>
          )}
        </>
      }
    />
  );
}
