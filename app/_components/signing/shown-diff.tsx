"use client";

import { createContext, useCallback, useContext, useState } from "react";
import { parseStatement } from "@/lib/domain/statements";
import { shownDiffRefusal } from "@/lib/domain/diff-files";

// What you see is what you sign. A page that shows a diff hashes the bytes it
// shows and puts the hash here; the signing dialog refuses a statement whose
// diff-sha256 is another. Pages without a diff have no provider and no check.

type TShown = { sha256: string; revision: number } | null;
type TShownDiff = { shown: TShown; setShown: (s: TShown) => void };

const ShownDiff = createContext<TShownDiff | null>(null);

export function ShownDiffProvider({ children }: { children: React.ReactNode }) {
  const [shown, setShown] = useState<TShown>(null);
  return <ShownDiff.Provider value={{ shown, setShown }}>{children}</ShownDiff.Provider>;
}

/** For the diff view: records the SHA-256 of the bytes it renders. */
export function useSetShownDiff(): (s: TShown) => void {
  return useContext(ShownDiff)?.setShown ?? noop;
}

/** For the signing dialog: the refusal for an issued statement, or null. */
export function useShownDiffRefusal(): (statement: string) => string | null {
  const ctx = useContext(ShownDiff);
  return useCallback(
    (statement: string) =>
      ctx ? shownDiffRefusal(parseStatement(statement)?.["diff-sha256"], ctx.shown) : null,
    [ctx],
  );
}

function noop() {}
