// The stored diff as text. React escapes every line: a diff is untrusted input.

const MAX_LINES = 5000;

function lineClass(line: string): string {
  if (
    line.startsWith("+++") ||
    line.startsWith("---") ||
    line.startsWith("diff ") ||
    line.startsWith("index ")
  )
    return "d-file";
  if (line.startsWith("@@")) return "d-hunk";
  if (line.startsWith("+")) return "d-add";
  if (line.startsWith("-")) return "d-del";
  return "d-ctx";
}

export function DiffView({ bytes }: { bytes: Uint8Array }) {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  const all = text.replace(/\n$/, "").split("\n");
  const lines = all.slice(0, MAX_LINES);
  const added = all.filter((l) => l.startsWith("+") && !l.startsWith("+++")).length;
  const removed = all.filter((l) => l.startsWith("-") && !l.startsWith("---")).length;
  return (
    <div className="diff-box">
      <div className="diff-stats small">
        <span className="d-add-n">+{added}</span> <span className="d-del-n">−{removed}</span>{" "}
        <span className="muted">· {all.length} lines</span>
      </div>
      <pre className="diff" data-testid="diff">
        {lines.map((l, i) => (
          <div key={i} className={`d-line ${lineClass(l)}`}>
            <span className="d-no">{i + 1}</span>
            <span className="d-text">{l || " "}</span>
          </div>
        ))}
      </pre>
      {all.length > MAX_LINES && (
        <p className="small muted">
          Showing the first {MAX_LINES} lines; the dossier holds the whole diff.
        </p>
      )}
    </div>
  );
}
