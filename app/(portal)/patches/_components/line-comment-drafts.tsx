"use client";

import { createContext, useCallback, useContext, useMemo, useSyncExternalStore } from "react";
import type { TLineComment } from "@/lib/domain/line-comments";

// A reviewer's line comments before they are signed: kept in this browser per
// patch and revision (localStorage), sent with the review statement request.

type TDrafts = {
  drafts: TLineComment[];
  add: (c: TLineComment) => void;
  remove: (index: number) => void;
  clear: () => void;
};

const Drafts = createContext<TDrafts | null>(null);

const keyOf = (patchId: string, revision: number) =>
  `patchgate:line-comments:${patchId}:r${revision}`;

const NONE: TLineComment[] = [];

function parse(raw: string | null): TLineComment[] {
  try {
    const v = JSON.parse(raw ?? "[]");
    return Array.isArray(v)
      ? v.filter(
          (c): c is TLineComment =>
            typeof c?.file === "string" && Number.isInteger(c?.line) && typeof c?.text === "string",
        )
      : NONE;
  } catch {
    return NONE;
  }
}

// localStorage as an external store: the same array until the stored text changes.
const listeners = new Set<() => void>();
let cached: { raw: string | null; value: TLineComment[] } = { raw: null, value: NONE };

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

function snapshot(key: string): TLineComment[] {
  const raw = localStorage.getItem(key);
  if (raw !== cached.raw) cached = { raw, value: parse(raw) };
  return cached.value;
}

export function LineCommentDraftsProvider({
  patchId,
  revision,
  children,
}: {
  patchId: string;
  revision: number;
  children: React.ReactNode;
}) {
  const key = keyOf(patchId, revision);
  const drafts = useSyncExternalStore(
    subscribe,
    () => snapshot(key),
    () => NONE,
  );
  const save = useCallback(
    (next: TLineComment[]) => {
      if (next.length) localStorage.setItem(key, JSON.stringify(next));
      else localStorage.removeItem(key);
      listeners.forEach((l) => l());
    },
    [key],
  );
  const value = useMemo(
    () => ({
      drafts,
      add: (c: TLineComment) => save([...drafts, c]),
      remove: (i: number) => save(drafts.filter((_, j) => j !== i)),
      clear: () => save([]),
    }),
    [drafts, save],
  );
  return <Drafts.Provider value={value}>{children}</Drafts.Provider>;
}

/** Null outside the patch page (the deployment page's presence dialog). */
export function useLineCommentDrafts(): TDrafts | null {
  return useContext(Drafts);
}
