"use client";

import { useState } from "react";
import {
  issueEmergencyStatementAction,
  recordEmergencyStatementAction,
} from "@/lib/actions/emergencies";
import type { TEmergencyStatementKind } from "@/lib/domain/emergency-statements";
import { StatementSigner, VerdictPicker } from "@/app/_components/signing/statement-signer";

type TOption = { value: string; label: string };
export type TSignProps = {
  emergencyId: string;
  kind: TEmergencyStatementKind;
  label: string;
  fixed?: { gate?: string; team?: string; as?: string; disputeId?: string };
  commentLabel?: string;
  verdicts?: string[];
  teams?: TOption[];
  grantees?: TOption[];
  attachDiff?: boolean;
  diffLabel?: string;
  /** The diff may also be pasted (option 1's patch), not only uploaded. */
  pasteDiff?: boolean;
  attachLog?: boolean;
  secondary?: boolean;
  /** One-line inputs that become statement fields (bug id and summary, commit, test server). */
  fields?: TField[];
};

/** A one-line input: its name is the action's input of the same name. */
export type TField = {
  name: "bugId" | "bugSummary" | "develCommit" | "testServer";
  label: string;
  hint?: string;
  required?: boolean;
};

function Choice({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: TOption[];
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((t) => (
          <option key={t.value} value={t.value}>
            {t.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Signing an emergency step or a ruling: the reason (and any attachment) is
 * asked first and becomes part of the statement; the shared dialog does the rest.
 */
export function EmergencySignDialog({
  emergencyId,
  kind,
  label,
  fixed,
  commentLabel,
  verdicts,
  teams,
  grantees,
  attachDiff,
  diffLabel,
  pasteDiff,
  attachLog,
  secondary,
  fields,
}: TSignProps) {
  const [comment, setComment] = useState("");
  const [verdict, setVerdict] = useState(verdicts?.[0] ?? "");
  const [team, setTeam] = useState(teams?.[0]?.value ?? "");
  const [grantee, setGrantee] = useState(grantees?.[0]?.value ?? "");
  const [diff, setDiff] = useState<string | undefined>();
  const [pasted, setPasted] = useState("");
  const [log, setLog] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  // A pasted diff wins over an uploaded file only when something was pasted.
  const theDiff = pasteDiff && pasted.trim() ? pasted : diff;
  const attachments = { diff: attachDiff ? theDiff : undefined, log: attachLog ? log : undefined };
  const typed = Object.fromEntries(
    (fields ?? []).map((f) => [f.name, values[f.name]?.trim() || undefined]),
  );

  return (
    <StatementSigner
      label={label}
      buttonClass={secondary ? "secondary sign-button" : "sign-button"}
      issue={(keyFingerprint) =>
        issueEmergencyStatementAction({
          emergencyId,
          kind,
          comment,
          ...fixed,
          team: teams ? team : fixed?.team,
          granteeId: grantees ? grantee : undefined,
          verdict: verdicts ? (verdict as "justified") : undefined,
          ...typed,
          ...attachments,
          keyFingerprint,
        } as Parameters<typeof issueEmergencyStatementAction>[0])
      }
      record={(statement, signature) =>
        recordEmergencyStatementAction({ statement, signature, ...attachments })
      }
      form={
        <>
          {verdicts && <VerdictPicker verdicts={verdicts} value={verdict} onChange={setVerdict} />}
          {teams && <Choice label="Team" options={teams} value={team} onChange={setTeam} />}
          {grantees && (
            <Choice
              label="Who gets the one-time access"
              options={grantees}
              value={grantee}
              onChange={setGrantee}
            />
          )}
          {attachDiff && (
            <label>
              {diffLabel ?? "Locally tested patch (unified diff)"}
              <input
                type="file"
                accept=".diff,.patch,.txt"
                onChange={async (e) => setDiff((await e.target.files?.[0]?.text()) ?? undefined)}
              />
            </label>
          )}
          {attachDiff && pasteDiff && (
            <label>
              Or paste the diff
              <textarea
                value={pasted}
                onChange={(e) => setPasted(e.target.value)}
                className="prose mono"
                spellCheck={false}
                placeholder={"--- a/www/account.php\n+++ b/www/account.php\n@@ …"}
              />
            </label>
          )}
          {fields?.map((f) => (
            <label key={f.name}>
              {f.label}
              <input
                name={f.name}
                value={values[f.name] ?? ""}
                required={f.required}
                autoComplete="off"
                onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
              />
              {f.hint && <span className="small muted">{f.hint}</span>}
            </label>
          ))}
          {attachLog && (
            <label>
              Session log
              <textarea
                value={log}
                onChange={(e) => setLog(e.target.value)}
                className="prose"
                placeholder="Paste the console log of the session."
              />
            </label>
          )}
          <label>
            {commentLabel ?? "Reason (part of the signed text)"}
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
