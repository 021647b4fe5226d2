"use client";

import { useRef } from "react";
import { StatementSigner } from "@/app/_components/signing/statement-signer";
import { issueDecisionStatementAction } from "@/lib/actions/deployments";
import { recordSignoffAction } from "@/lib/actions/patches";
import styles from "./checklist.module.css";

/**
 * P6: on the signing server, steps 3–7 apply or not as the situation needs;
 * the decision and its reason are a signed `step` statement (X1). The fields
 * keep what was typed when the server refuses.
 */
export function DecideForm({ patchId, number }: { patchId: string; number: number }) {
  const form = useRef<HTMLFormElement>(null);
  return (
    <div className={styles.decision} data-testid={`decide-${number}`}>
      <h4>Does step {number} apply to this visit?</h4>
      <form ref={form} className={styles.decideForm} onSubmit={(e) => e.preventDefault()}>
        <fieldset className={styles.radios}>
          <label className={styles.radio}>
            <input type="radio" name="applicable" value="yes" /> Applies
          </label>
          <label className={styles.radio}>
            <input type="radio" name="applicable" value="no" /> Does not apply
          </label>
        </fieldset>
        <label>
          Reason
          <input name="reason" placeholder="e.g. the code comes on a USB stick" />
        </label>
        <span>
          <StatementSigner
            label={`Sign the decision on step ${number}`}
            buttonClass="secondary sign-button"
            issue={async (keyFingerprint) => {
              const data = new FormData(form.current ?? undefined);
              const applicable = data.get("applicable");
              if (applicable !== "yes" && applicable !== "no")
                return { ok: false, error: "Choose whether the step applies." };
              return issueDecisionStatementAction({
                patchId,
                number,
                applicable: applicable === "yes",
                reason: String(data.get("reason") ?? ""),
                keyFingerprint,
              });
            }}
            record={(statement, signature) => recordSignoffAction({ statement, signature })}
            form={
              <p className="small muted" style={{ margin: 0 }}>
                Your decision on step {number} is a statement you sign, with its reason.
              </p>
            }
          />
        </span>
      </form>
    </div>
  );
}
