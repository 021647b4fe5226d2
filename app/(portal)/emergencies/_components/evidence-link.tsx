// The emergency's evidence bundle as a download, with what it holds and how it
// is checked: on the emergency page and the dispute page (issue #15 item 4).
export function EvidenceLink({ number }: { number: number }) {
  return (
    <p className="small" data-testid="emergency-evidence">
      <a href={`/emergencies/${number}/evidence`} download>
        Download the evidence bundle
      </a>{" "}
      (every move&apos;s signed statement and key, the session records and log, the deployed diff
      and the audit events; check it offline with <code>patchgate verify</code>)
    </p>
  );
}
