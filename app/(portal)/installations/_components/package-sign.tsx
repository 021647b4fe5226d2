"use client";

import { useState } from "react";
import { issuePackageStatementAction, recordPackageSignoffAction } from "@/lib/actions/updates";
import { StatementSigner } from "@/app/_components/signing/statement-signer";
import styles from "./updates.module.css";

const record = (id: string) => (statement: string, signature: string) =>
  recordPackageSignoffAction({ id, statement, signature });

/** Semi-automatic mode: the signed "apply" of a VERIFIED package (statement kind package-apply). */
export function ApplySign({ id }: { id: string }) {
  const [comment, setComment] = useState("");
  return (
    <StatementSigner
      label="Apply"
      issue={(keyFingerprint) =>
        issuePackageStatementAction({ id, kind: "package-apply", comment, keyFingerprint })
      }
      record={record(id)}
      form={
        <label>
          Comment (part of the signed text)
          <textarea
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            maxLength={4000}
            className="prose"
          />
        </label>
      }
    />
  );
}

/**
 * Manual mode: the next checklist step, its confirmations as checkboxes and an
 * optional note, signed as a package-step statement. The button stays off until
 * every confirmation is ticked.
 */
export function StepTick({
  id,
  step,
  title,
  confirmLabels,
}: {
  id: string;
  step: number;
  title: string;
  confirmLabels: Record<string, string>;
}) {
  const keys = Object.keys(confirmLabels);
  const [checked, setChecked] = useState<Record<string, boolean>>({});
  const [note, setNote] = useState("");
  const evidence = Object.fromEntries(keys.map((k) => [k, checked[k] === true]));
  const missing = keys.filter((k) => !checked[k]);
  return (
    <div className={styles.form}>
      {keys.length > 0 && (
        <fieldset className="stack-col">
          <legend className="small muted">Confirm</legend>
          {keys.map((k) => (
            <label key={k} className={styles.check}>
              <input
                type="checkbox"
                checked={checked[k] === true}
                onChange={(e) => setChecked({ ...checked, [k]: e.target.checked })}
              />
              <span>{confirmLabels[k]}</span>
            </label>
          ))}
        </fieldset>
      )}
      <label>
        Note (optional, part of the signed evidence)
        <textarea
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={2000}
          rows={2}
          style={{ minHeight: "3.5rem", fontFamily: "inherit" }}
        />
      </label>
      {missing.length > 0 ? (
        <p className="small muted">
          Tick {missing.length === keys.length ? "the confirmations" : "every confirmation"} to sign
          this step.
        </p>
      ) : (
        <span>
          <StatementSigner
            label={`Sign step ${step}`}
            issue={(keyFingerprint) =>
              issuePackageStatementAction({
                id,
                kind: "package-step",
                step,
                evidence: note.trim() ? { ...evidence, note: note.trim() } : evidence,
                keyFingerprint,
              })
            }
            record={record(id)}
            form={
              <p className="small">
                Step {step}: <b>{title}</b>. The statement names this package, the step and your
                evidence.
              </p>
            }
          />
        </span>
      )}
    </div>
  );
}
