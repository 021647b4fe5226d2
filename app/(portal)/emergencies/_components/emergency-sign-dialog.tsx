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
  attachLog?: boolean;
  secondary?: boolean;
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
  attachLog,
  secondary,
}: TSignProps) {
  const [comment, setComment] = useState("");
  const [verdict, setVerdict] = useState(verdicts?.[0] ?? "");
  const [team, setTeam] = useState(teams?.[0]?.value ?? "");
  const [grantee, setGrantee] = useState(grantees?.[0]?.value ?? "");
  const [diff, setDiff] = useState<string | undefined>();
  const [log, setLog] = useState("");
  const attachments = { diff: attachDiff ? diff : undefined, log: attachLog ? log : undefined };

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
