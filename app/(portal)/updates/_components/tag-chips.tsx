// The update's tags as coloured chips: done green, needed amber, failed red.
export function tagClass(tag: string): string {
  if (tag.startsWith("verification-done-")) return "chip ok";
  if (tag.startsWith("verification-failed-")) return "chip bad";
  if (tag.startsWith("verification-needed-")) return "chip warn";
  return "chip";
}

export function TagChips({ tags }: { tags: string[] }) {
  if (!tags.length) return <span className="small muted">no tags until approved</span>;
  return (
    <span className="chips" data-testid="update-tags">
      {tags.map((t) => (
        <span key={t} className={tagClass(t)} data-testid={`tag-${t}`}>
          {t}
        </span>
      ))}
    </span>
  );
}

const STATE_CLASS: Record<string, string> = {
  DRAFT: "chip",
  SUBMITTED: "chip warn",
  APPROVED: "chip ok",
  REJECTED: "chip bad",
};

export function UpdateStateChip({ state }: { state: string }) {
  return (
    <span className={STATE_CLASS[state] ?? "chip"} data-testid="update-state">
      {state}
    </span>
  );
}
