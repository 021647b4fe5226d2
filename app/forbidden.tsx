import Link from "next/link";

// Rendered with HTTP 403 by forbidden() (experimental.authInterrupts).
export default function Forbidden() {
  return (
    <main id="main" tabIndex={-1} className="page">
      <div className="panel">
        <h1>403 — not allowed</h1>
        <p>
          Your roles do not allow this page. If you think they should, ask a portal admin to
          nominate you.
        </p>
        <Link href="/">Back to the overview</Link>
      </div>
    </main>
  );
}
