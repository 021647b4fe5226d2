"use client";

import { useState } from "react";
import styles from "./checklist.module.css";

/** Copies a fixed text (a command, a checksum line, a commit message) to the clipboard. */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("yes");
    } catch {
      // Clipboard access can be denied (plain http, browser policy): say so.
      setCopied("no");
    }
    setTimeout(() => setCopied(null), 2000);
  }
  return (
    <button
      type="button"
      className={`secondary small ${styles.copy}`}
      onClick={copy}
      aria-label={`Copy ${what}`}
    >
      {copied === "yes" ? "Copied ✓" : copied === "no" ? "Select and copy" : "Copy"}
    </button>
  );
}

/** A command or line in a dark box with its copy button. */
export function CopyLine({ text, what, testId }: { text: string; what: string; testId?: string }) {
  return (
    <div className={styles.copyLine}>
      <pre data-testid={testId}>{text}</pre>
      <CopyButton text={text} what={what} />
    </div>
  );
}
