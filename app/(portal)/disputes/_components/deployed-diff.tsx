import { splitDiff } from "@/lib/domain/diff-files";
import { markHidden } from "@/lib/domain/hidden-chars";
import type { TDeployedDiff } from "@/lib/server/emergencies/dispute-evidence";

// A diff that went onto the live system, rendered on the server from the bytes
// the portal holds (React escapes every line: a diff is untrusted input). Each
// file scrolls inside its own box, so a long line never widens the page.

const LINE_CLASS = {
  add: "d-add",
  del: "d-del",
  hunk: "d-hunk",
  meta: "d-file",
  ctx: "",
  note: "",
};

export function DeployedDiff({ diff }: { diff: TDeployedDiff }) {
  const split = splitDiff(diff.text);
  return (
    <div className="diff-box" data-testid="deployed-diff">
      <div className="diff-stats small">
        <strong>{diff.label}</strong>
        {diff.patch && (
          <>
            {" "}
            · patch #{diff.patch.number}, revision {diff.patch.revision}
          </>
        )}
        <div className="sha-shown mono">SHA-256 {diff.sha256}</div>
      </div>
      {split.files.map((f, i) => (
        <details key={`${f.path}-${i}`} className="diff-file" open={split.files.length <= 5}>
          <summary>
            {f.path} <span className="d-add-n">+{f.added}</span>{" "}
            <span className="d-del-n">−{f.removed}</span>
          </summary>
          <div
            className="diff-file-body"
            tabIndex={0}
            role="region"
            aria-label={`Diff of ${f.path}`}
          >
            {f.lines.map((l) => (
              <div key={l.index} className={`d-line ${LINE_CLASS[l.kind]}`}>
                <span className="d-no">{l.new ?? l.old ?? ""}</span>
                <span className="d-text">
                  {markHidden(l.text).map((s, j) =>
                    "hidden" in s ? (
                      <span key={j} className="d-hidden-char" title={s.title}>
                        {s.hidden}
                      </span>
                    ) : (
                      s.text
                    ),
                  )}
                </span>
              </div>
            ))}
          </div>
        </details>
      ))}
    </div>
  );
}
