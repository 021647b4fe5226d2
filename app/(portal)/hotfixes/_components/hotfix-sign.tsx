"use client";

import { useState } from "react";
import { issueHotfixStatementAction, recordHotfixSignoffAction } from "@/lib/actions/hotfixes";
import { StatementSigner } from "@/app/_components/signing/statement-signer";
import styles from "./rollout.module.css";

/**
 * Signing a hotfix's release, or the verification of an apply or unapply on
 * one server; how it was verified is asked first and becomes part of the text.
 */
export function HotfixSign({
  name,
  kind,
  label,
  server,
  role,
}: {
  name: string;
  kind: "hotfix-release" | "hotfix-verify";
  label: string;
  server?: string;
  role?: "FRONTEND" | "BACKEND";
}) {
  const [comment, setComment] = useState("");
  const [direct, setDirect] = useState(false);
  const [maxProcessesZero, setMaxProcessesZero] = useState(false);
  return (
    <StatementSigner
      label={label}
      buttonClass={kind === "hotfix-verify" ? "secondary small sign-button" : "sign-button"}
      issue={(keyFingerprint) =>
        issueHotfixStatementAction({
          name,
          kind,
          server,
          direct,
          maxProcessesZero,
          comment,
          keyFingerprint,
        })
      }
      record={(statement, signature) => recordHotfixSignoffAction({ name, statement, signature })}
      form={
        <>
          {kind === "hotfix-verify" && (
            <fieldset className="stack">
              <legend>How {server} was verified</legend>
              <label className={styles.check}>
                <input
                  type="checkbox"
                  checked={direct}
                  onChange={(e) => setDirect(e.target.checked)}
                />
                Connected to this server directly, not through the load balancer
                {role === "FRONTEND" ? " (required for a front end)" : ""}
              </label>
              <label className={styles.check}>
                <input
                  type="checkbox"
                  checked={maxProcessesZero}
                  onChange={(e) => setMaxProcessesZero(e.target.checked)}
                />
                Maximum Processes set to 0 on every unpatched back end for the verification
                {role === "BACKEND" ? " (required for a back end)" : ""}
              </label>
            </fieldset>
          )}
          <label>
            {kind === "hotfix-verify"
              ? "What you checked (part of the signed text)"
              : "Comment (part of the signed text)"}
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
