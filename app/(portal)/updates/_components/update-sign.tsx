"use client";

import { useState } from "react";
import {
  issueUpdateStatementAction,
  recordUpdateSignoffAction,
  type TUpdateStatementInput,
} from "@/lib/actions/release-updates";
import { StatementSigner, VerdictPicker } from "@/app/_components/signing/statement-signer";
import styles from "./release-updates.module.css";

const record = (id: string) => (statement: string, signature: string) =>
  recordUpdateSignoffAction({ id, statement, signature });

const issue = (input: TUpdateStatementInput) => (keyFingerprint?: string) =>
  issueUpdateStatementAction({ ...input, keyFingerprint });

/**
 * "Submit (sign)": the update-submit statement over the filled text. While a
 * TODO remains the server refuses, and the refusal's list (one line per
 * section and line) is shown here, inline, as well as in the dialog.
 */
export function SubmitSign({ id }: { id: string }) {
  const [refusal, setRefusal] = useState<string[] | null>(null);
  return (
    <div>
      <StatementSigner
        label="Submit (sign)"
        issue={async (keyFingerprint) => {
          const r = await issueUpdateStatementAction({ id, kind: "update-submit", keyFingerprint });
          setRefusal(r && !r.ok ? r.error.split("\n").filter(Boolean) : null);
          return r;
        }}
        record={record(id)}
        form={
          <p className="small">
            The statement carries the record&apos;s whole text as it stands; your signature submits
            it as a new revision. Earlier reviews do not carry over to it.
          </p>
        }
      />
      {refusal && (
        <div className="notice error" role="alert" data-testid="submit-refused">
          <b>{refusal[0]}</b>
          {refusal.length > 1 && (
            <ul className={styles.todoList}>
              {refusal.slice(1).map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/** "Approve/Reject (sign)": a release-update team member's update-review. */
export function ReviewSign({ id }: { id: string }) {
  const [verdict, setVerdict] = useState("approve");
  const [comment, setComment] = useState("");
  return (
    <StatementSigner
      label="Approve/Reject (sign)"
      issue={issue({ id, kind: "update-review", verdict, comment })}
      record={record(id)}
      form={
        <>
          <VerdictPicker verdicts={["approve", "reject"]} value={verdict} onChange={setVerdict} />
          <label>
            Comment (part of the signed text)
            <textarea
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              maxLength={4000}
              className="prose"
            />
          </label>
        </>
      }
    />
  );
}

/** "Acknowledge (sign)": update-major-ack naming one incompatible change. */
export function AckSign({ id, change, text }: { id: string; change: number; text: string }) {
  const [comment, setComment] = useState("");
  return (
    <StatementSigner
      label="Acknowledge (sign)"
      issue={issue({ id, kind: "update-major-ack", change, comment })}
      record={record(id)}
      form={
        <>
          <p className="small">
            You state that change {change} is still fit to reach users automatically:
          </p>
          <blockquote className={`small ${styles.wrap}`}>{text}</blockquote>
          <label>
            Comment (part of the signed text)
            <textarea
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              maxLength={4000}
              className="prose"
            />
          </label>
        </>
      }
    />
  );
}

/**
 * "Verify (sign)": a tester's update-verify of one series, naming the version
 * of every package verified; the comment goes to the bug tracker.
 */
export function VerifySign({
  id,
  series,
  packages,
  version,
}: {
  id: string;
  series: string;
  packages: string[];
  version: string;
}) {
  const [verdict, setVerdict] = useState("pass");
  const [versions, setVersions] = useState<Record<string, string>>(
    Object.fromEntries(packages.map((p) => [p, version])),
  );
  const [comment, setComment] = useState("");
  return (
    <StatementSigner
      label={`Verify ${series} (sign)`}
      issue={issue({ id, kind: "update-verify", series, verdict, versions, comment })}
      record={record(id)}
      form={
        <>
          <VerdictPicker verdicts={["pass", "fail"]} value={verdict} onChange={setVerdict} />
          <fieldset className={styles.versions}>
            <legend className="small muted">The version of every package verified</legend>
            {packages.map((p) => (
              <label key={p}>
                {p}
                <input
                  value={versions[p] ?? ""}
                  onChange={(e) => setVersions({ ...versions, [p]: e.target.value })}
                  maxLength={100}
                />
              </label>
            ))}
          </fieldset>
          <label>
            Comment (part of the signed text; goes to the bug tracker)
            <textarea
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              maxLength={4000}
              className="prose"
            />
          </label>
        </>
      }
    />
  );
}
