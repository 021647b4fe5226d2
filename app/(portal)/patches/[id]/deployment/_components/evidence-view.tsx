import { formatFingerprint } from "@/lib/format";
import styles from "./checklist.module.css";

type TEvidence = Record<string, unknown>;

const LABELS: Record<string, string> = {
  note: "Note",
  request: "Request signed by",
  gates: "Gates",
  sha256: "SHA-256",
  sha256sum: "Expected sha256sum",
  checksumMatched: "Checksum matched",
  assessment: "Risk evaluation",
  webServerStopped: "Web server stopped",
  webServerRunning: "Web server runs again",
  output: "Output",
  result: "Result",
  backOutOutput: "Back-out output",
  nothingChanged: "Nothing changed",
  commitMessage: "Commit message",
  tarball: "Tarball",
};

const PRE = new Set(["output", "backOutOutput", "commitMessage", "sha256sum"]);

function value(key: string, v: unknown): React.ReactNode {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (key === "result")
    return <span className={`chip ${v === "clean" ? "ok" : "bad"}`}>{String(v)}</span>;
  if (key === "request" && typeof v === "object") {
    const r = v as { signer?: string; email?: string; fingerprint?: string };
    return (
      <>
        {r.signer} &lt;{r.email}&gt;
        <br />
        <span className="fingerprint small">{formatFingerprint(r.fingerprint ?? "")}</span>
      </>
    );
  }
  if (key === "gates" && typeof v === "object") {
    const g = v as {
      reviews: { have: number; need: number };
      tests: { have: number; need: number };
    };
    return `${g.reviews.have} of ${g.reviews.need} reviews, ${g.tests.have} of ${g.tests.need} tests`;
  }
  if (typeof v === "object") return <pre tabIndex={0}>{JSON.stringify(v, null, 2)}</pre>;
  if (PRE.has(key)) return <pre tabIndex={0}>{String(v)}</pre>;
  return String(v);
}

/** A recorded step's evidence as the admin entered it (and as the server added it). */
export function EvidenceView({ evidence }: { evidence: unknown }) {
  if (!evidence || typeof evidence !== "object") return null;
  const rows = Object.entries(evidence as TEvidence)
    .map(([k, v]) => [k, value(k, v)] as const)
    .filter(([, v]) => v !== null);
  if (rows.length === 0) return null;
  return (
    <dl className={styles.kv}>
      {rows.map(([k, v]) => (
        <div key={k} style={{ display: "contents" }}>
          <dt>{LABELS[k] ?? k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One line that says what a done step recorded, shown beside the collapsed evidence. */
export function evidenceSummary(number: number, evidence: unknown): string | null {
  if (!evidence || typeof evidence !== "object") return null;
  const e = evidence as TEvidence;
  switch (number) {
    case 1: {
      const r = e.request as { signer?: string } | null;
      return r?.signer ? `request signed by ${r.signer}` : null;
    }
    case 2: {
      const g = e.gates as { reviews: { have: number }; tests: { have: number } } | undefined;
      return g ? `${g.reviews.have} reviews, ${g.tests.have} tests` : null;
    }
    case 3:
      return e.checksumMatched === true ? "checksum matched" : null;
    case 4:
      return e.webServerStopped === true ? "web server stopped" : "web server kept running";
    case 5:
      return typeof e.result === "string"
        ? `applied ${e.result === "clean" ? "cleanly" : "with failures"}`
        : null;
    case 6:
      return typeof e.commitMessage === "string" ? e.commitMessage.split("\n")[0] : null;
    case 7:
      return typeof e.tarball === "string" ? e.tarball : null;
    case 9:
      return e.webServerRunning === true ? "web server runs again" : null;
    default:
      return typeof e.note === "string" && e.note ? e.note.slice(0, 80) : null;
  }
}
