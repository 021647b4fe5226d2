import { findTodos, normaliseBody, parseSections } from "@/lib/domain/update-template";
import styles from "./release-updates.module.css";

const TODO_WORD = /(?<![A-Za-z0-9_])TODO(?![A-Za-z0-9_])/g;

/** A line with each TODO placeholder in a <mark> (the line is one the TODO rule flags). */
function Marked({ line }: { line: string }) {
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const m of line.matchAll(TODO_WORD)) {
    parts.push(line.slice(last, m.index));
    parts.push(<mark key={m.index}>TODO</mark>);
    last = m.index + m[0].length;
  }
  parts.push(line.slice(last));
  return <>{parts}</>;
}

/**
 * The record's text as its template's sections, line by line with the body's
 * line numbers (the ones the submit refusal names); each line that still holds
 * a placeholder under the TODO rule (lib/domain/update-template.ts) is marked.
 */
export function BodyView({ body }: { body: string }) {
  const lines = normaliseBody(body).split("\n");
  const sections = parseSections(body);
  const todoLines = new Set(findTodos(body).map((t) => t.line));
  const starts = sections.map((s) => (s.heading ? s.line : 1));
  return (
    <div className={styles.body} data-testid="update-body">
      {sections.map((s, i) => {
        const from = s.heading ? s.line + 1 : 1;
        const to = i + 1 < sections.length ? starts[i + 1] - 1 : lines.length;
        const own = lines
          .slice(from - 1, to)
          .map((text, k) => ({ text, no: from + k }))
          // No blank lines at the section's ends (the body keeps them between sections).
          .filter((l, k, all) => l.text !== "" || (k > 0 && k < all.length - 1));
        const todos =
          own.filter((l) => todoLines.has(l.no)).length +
          (todoLines.has(s.line) && s.heading ? 1 : 0);
        return (
          <section
            key={`${s.title}-${s.line}`}
            className={`${styles.section} ${todos ? styles.sectionTodo : ""}`}
            aria-label={s.title}
            data-testid={`section-${s.title}`}
          >
            <h3>
              {s.heading && todoLines.has(s.line) ? <Marked line={s.title} /> : s.title}
              {todos > 0 && (
                <span className="chip warn">
                  {todos} TODO{todos === 1 ? "" : "s"}
                </span>
              )}
            </h3>
            <p className={styles.lines}>
              {own.map((l) => (
                <span
                  key={l.no}
                  className={`${styles.line} ${todoLines.has(l.no) ? styles.todoLine : ""}`}
                  data-line={l.no}
                >
                  {todoLines.has(l.no) ? (
                    <>
                      <span className={styles.lineNo}>{l.no}</span>
                      <Marked line={l.text} />
                    </>
                  ) : (
                    l.text
                  )}
                </span>
              ))}
            </p>
          </section>
        );
      })}
    </div>
  );
}
