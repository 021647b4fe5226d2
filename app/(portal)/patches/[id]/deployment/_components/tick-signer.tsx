"use client";

import { useEffect, useRef, useState } from "react";
import { StatementSigner } from "@/app/_components/signing/statement-signer";
import { issueStepStatementAction } from "@/lib/actions/deployments";
import { recordSignoffAction } from "@/lib/actions/patches";
import styles from "./checklist.module.css";

/**
 * The evidence a form holds: text fields as typed, and each checkbox its
 * hidden `flag` input names as true or false (an unticked box sends nothing).
 */
function evidenceOf(form: HTMLFormElement): Record<string, unknown> {
  const data = new FormData(form);
  const flags = data.getAll("flag").map(String);
  const evidence: Record<string, unknown> = {};
  for (const [k, v] of data.entries()) {
    if (k === "flag" || flags.includes(k) || typeof v !== "string") continue;
    evidence[k] = v;
  }
  for (const k of flags) evidence[k] = data.get(k) === "on";
  return evidence;
}

/**
 * A hand step's evidence form and its signature (X1): the fields stay on the
 * card, keeping what was typed when the server refuses; the signing dialog
 * asks the server for the `step` statement naming this evidence. Recording a
 * failed apply asks for confirmation first (P5).
 */
export function TickSigner({
  patchId,
  number,
  children,
}: {
  patchId: string;
  number: number;
  children: React.ReactNode;
}) {
  const form = useRef<HTMLFormElement>(null);
  const [failed, setFailed] = useState(false);
  // Asked anew each time the dialog opens: the box lives in the dialog and resets with it.
  const confirmed = useRef(false);
  return (
    <form
      ref={form}
      className={styles.form}
      data-testid={`tick-form-${number}`}
      onSubmit={(e) => e.preventDefault()}
      onChange={() => {
        const f = form.current && evidenceOf(form.current).result === "failed";
        setFailed(!!f);
      }}
    >
      {children}
      <span>
        <StatementSigner
          label={
            number === 5
              ? failed
                ? "Sign: step 5 failed"
                : "Sign the result of step 5"
              : `Sign and tick step ${number}`
          }
          buttonClass={failed ? "danger sign-button" : "sign-button"}
          issue={async (keyFingerprint) => {
            if (failed && !confirmed.current)
              return {
                ok: false,
                error: "Confirm that the apply failed and the patch was backed out.",
              };
            return issueStepStatementAction({
              patchId,
              number,
              evidence: form.current ? evidenceOf(form.current) : {},
              keyFingerprint,
            });
          }}
          record={(statement, signature) => recordSignoffAction({ statement, signature })}
          form={
            failed ? (
              <ConfirmFailed
                onConfirm={(v) => {
                  confirmed.current = v;
                }}
              />
            ) : (
              <p className="small muted" style={{ margin: 0 }}>
                Your tick of step {number} is a statement you sign: it names the patch, the
                revision, the diff&apos;s SHA-256, the step and the evidence on the card.
              </p>
            )
          }
        />
      </span>
    </form>
  );
}

/** P5: recording a failed apply stops the deployment; the dialog asks before the statement is issued. */
function ConfirmFailed({ onConfirm }: { onConfirm: (confirmed: boolean) => void }) {
  const [checked, setChecked] = useState(false);
  useEffect(() => {
    onConfirm(false);
    return () => onConfirm(false);
  }, [onConfirm]);
  return (
    <div className="notice error" data-testid="confirm-failed">
      <p style={{ marginTop: 0 }}>
        <b>Record step 5 as failed?</b> The deployment stops here, nothing after it can be ticked,
        the patch goes back to rework and the assessment team gets the full output with your
        back-out.
      </p>
      <label className={styles.check}>
        <input
          type="checkbox"
          checked={checked}
          onChange={(e) => {
            setChecked(e.target.checked);
            onConfirm(e.target.checked);
          }}
        />
        <span>Yes: the apply failed and I backed the patch out</span>
      </label>
    </div>
  );
}
