"use client";

import { useEffect, useState } from "react";
import { decodeDiff, splitDiff } from "@/lib/domain/diff-files";
import { markHidden } from "@/lib/domain/hidden-chars";

type THit = { where: string; chars: { hidden: string; title: string }[] };

/**
 * Beside the diff download of step 3: the lines whose hidden characters (bidi
 * controls, escapes) the downloaded file carries, as the patch page marks them,
 * so the admin applying it is warned too. Nothing is shown for a clean diff.
 */
export function HiddenCharsNote({ patchId, revision }: { patchId: string; revision: number }) {
  const [hits, setHits] = useState<THit[] | null>(null);
  useEffect(() => {
    let live = true;
    (async () => {
      const res = await fetch(`/patches/${patchId}/diff?revision=${revision}`, {
        cache: "no-store",
      });
      if (!res.ok) return;
      const diff = splitDiff(decodeDiff(new Uint8Array(await res.arrayBuffer())));
      const found: THit[] = [];
      for (const f of diff.files)
        for (const l of f.lines) {
          const chars = markHidden(l.text).filter((s) => "hidden" in s);
          if (chars.length) found.push({ where: `${f.path}:${l.new ?? l.old ?? l.index}`, chars });
        }
      if (live) setHits(found);
    })().catch(() => {});
    return () => {
      live = false;
    };
  }, [patchId, revision]);
  if (!hits?.length) return null;
  return (
    <div className="notice warn" role="note" data-testid="deployment-hidden-chars">
      This diff holds hidden or control characters that can make it read differently from what it
      does; check them on the patch page before applying:
      <ul className="small mono">
        {hits.slice(0, 20).map((h) => (
          <li key={h.where}>
            {h.where}{" "}
            {h.chars.map((c, i) => (
              <span key={i} className="d-hidden-char" title={c.title} data-hidden-char={c.hidden}>
                ⟨{c.hidden}⟩
              </span>
            ))}
          </li>
        ))}
        {hits.length > 20 && <li>… and {hits.length - 20} more lines</li>}
      </ul>
    </div>
  );
}
