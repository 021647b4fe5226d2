"use client";

import { Fragment, memo, useEffect, useMemo, useRef, useState } from "react";
import {
  commentLineOf,
  decodeDiff,
  hexOf,
  splitDiff,
  type TDiffFile,
  type TDiffLine,
  type TSplitDiff,
} from "@/lib/domain/diff-files";
import { hasHidden, markHidden } from "@/lib/domain/hidden-chars";
import { MAX_LINE_COMMENT_CHARS, type TLineComment } from "@/lib/domain/line-comments";
import { useSetShownDiff } from "@/app/_components/signing/shown-diff";
import { useLineCommentDrafts } from "../../_components/line-comment-drafts";

// The whole diff, rendered from the very bytes the browser downloaded and
// hashed: what the signing dialog compares with the statement's diff-sha256.
// React escapes every line: a diff is untrusted input. Long files are split
// into chunks the browser lays out only near the viewport (content-visibility).

const CHUNK = 200;
const LINE_PX = 19;
/** Above this many lines the browser may skip laying out chunks off screen. */
const BIG = 2000;

export type TSignedLineComment = TLineComment & { by: string; verdict: string };

type TInline = { signed: TSignedLineComment[]; drafts: { c: TLineComment; index: number }[] };

type TLoaded = { diff: TSplitDiff; sha256: string; bytes: number };

export function DiffView({
  patchId,
  revision,
  expectedSha256,
  signed,
  canComment,
}: {
  patchId: string;
  revision: number;
  expectedSha256: string;
  signed: TSignedLineComment[];
  canComment: boolean;
}) {
  const url = `/patches/${patchId}/diff?revision=${revision}`;
  const setShown = useSetShownDiff();
  const drafts = useLineCommentDrafts();
  const [loaded, setLoaded] = useState<TLoaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<{ file: string; line: number } | null>(null);
  const started = useRef(0);
  const [renderMs, setRenderMs] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    (async () => {
      started.current = performance.now();
      const res = await fetch(url, { cache: "no-store" });
      if (!res.ok) throw new Error(`The diff could not be loaded (${res.status}).`);
      // One download: these bytes are hashed, and these bytes are shown.
      const bytes = new Uint8Array(await res.arrayBuffer());
      const sha256 = hexOf(await crypto.subtle.digest("SHA-256", bytes));
      const diff = splitDiff(decodeDiff(bytes));
      if (!live) return;
      setShown({ sha256, revision });
      setLoaded({ diff, sha256, bytes: bytes.length });
    })().catch((e) => live && setError((e as Error).message));
    return () => {
      live = false;
      setShown(null);
    };
  }, [url, revision, setShown]);

  // Download, hash and render time (to the committed DOM), for the e2e measurement.
  useEffect(() => {
    if (loaded) setRenderMs(Math.round(performance.now() - started.current));
  }, [loaded]);

  const inline = useMemo(() => {
    const byFile = new Map<string, Map<number, TInline>>();
    const at = (file: string, line: number) => {
      const f = byFile.get(file) ?? new Map<number, TInline>();
      byFile.set(file, f);
      const l = f.get(line) ?? { signed: [], drafts: [] };
      f.set(line, l);
      return l;
    };
    for (const c of signed) at(c.file, c.line).signed.push(c);
    drafts?.drafts.forEach((c, index) => at(c.file, c.line).drafts.push({ c, index }));
    return byFile;
  }, [signed, drafts?.drafts]);

  if (error)
    return (
      <div className="notice error" role="alert">
        {error} <a href={url}>Download the diff</a> instead.
      </div>
    );
  if (!loaded)
    return (
      <p className="muted small" role="status" data-testid="diff-loading">
        Loading the diff…
      </p>
    );

  const { diff, sha256 } = loaded;
  const added = diff.files.reduce((n, f) => n + f.added, 0);
  const removed = diff.files.reduce((n, f) => n + f.removed, 0);
  return (
    <div
      className="diff-box"
      data-testid="diff"
      data-sha256={sha256}
      data-render-ms={renderMs ?? ""}
    >
      <div className="diff-stats small">
        <span className="d-add-n">+{added}</span> <span className="d-del-n">−{removed}</span>{" "}
        <span className="muted">
          · {diff.files.length} file{diff.files.length === 1 ? "" : "s"} · {diff.lineCount} lines ·{" "}
          {loaded.bytes} bytes ·{" "}
        </span>
        <a href={url} download>
          Download these bytes
        </a>
        <div className="mono sha-shown" data-testid="shown-sha256">
          SHA-256 of the bytes shown: {sha256}{" "}
          {sha256 === expectedSha256 ? (
            <span className="ok-text">✓ the revision&apos;s hash</span>
          ) : (
            <span className="bad-text" role="alert">
              ✗ not the revision&apos;s hash; signing is refused
            </span>
          )}
        </div>
      </div>
      <nav className="diff-files" aria-label="Files in this diff">
        <ol data-testid="diff-file-list">
          {diff.files.map((f, i) => (
            <li key={i}>
              <a href={`#diff-file-${i + 1}`} className="mono">
                {f.path || "(no name)"}
              </a>{" "}
              <span className="d-add-n">+{f.added}</span>{" "}
              <span className="d-del-n">−{f.removed}</span>
              {f.deleted && <span className="muted small"> deleted</span>}
            </li>
          ))}
        </ol>
      </nav>
      {diff.preamble.length > 0 && (
        <div
          className="diff-file-body"
          tabIndex={0}
          role="region"
          aria-label="Text before the first file"
        >
          <Lines lines={diff.preamble} />
        </div>
      )}
      {diff.files.map((f, i) => (
        <FileSection
          key={i}
          n={i + 1}
          file={f}
          inline={inline.get(f.path)}
          openLine={open?.file === f.path ? open.line : null}
          canComment={canComment}
          onOpen={setOpen}
          big={diff.lineCount > BIG}
        />
      ))}
    </div>
  );
}

const FileSection = memo(function FileSection({
  n,
  file,
  inline,
  openLine,
  canComment,
  onOpen,
  big,
}: {
  n: number;
  file: TDiffFile;
  inline: Map<number, TInline> | undefined;
  openLine: number | null;
  canComment: boolean;
  onOpen: (o: { file: string; line: number } | null) => void;
  big: boolean;
}) {
  const chunks: TDiffLine[][] = [];
  for (let i = 0; i < file.lines.length; i += CHUNK) chunks.push(file.lines.slice(i, i + CHUNK));
  const hidden = file.lines.filter((l) => hasHidden(l.text)).length;
  return (
    <details open className="diff-file" id={`diff-file-${n}`} data-testid="diff-file">
      <summary>
        <span className="mono">{file.path ? <Marked text={file.path} /> : "(no name)"}</span>{" "}
        <span className="d-add-n">+{file.added}</span>{" "}
        <span className="d-del-n">−{file.removed}</span>
        {hidden > 0 && (
          <span className="chip warn" role="note" data-testid="hidden-chars-warning">
            ⚠ {hidden} line{hidden === 1 ? "" : "s"} with hidden or control characters: the text may
            read differently from what it does
          </span>
        )}
      </summary>
      {/* Focusable: a keyboard can scroll long lines sideways. */}
      <div
        className="diff-file-body"
        tabIndex={0}
        role="region"
        aria-label={`Diff of ${file.path || "a file without a name"}`}
      >
        {chunks.map((lines, c) => (
          <Chunk key={c} lines={lines.length} eager={!big || (n === 1 && c === 0)} big={big}>
            {lines.map((l) => {
              const no = commentLineOf(file, l);
              const here = no != null ? inline?.get(no) : undefined;
              return (
                <Fragment key={l.index}>
                  <Line
                    line={l}
                    commentNo={canComment ? no : null}
                    file={file.path}
                    onComment={onOpen}
                  />
                  {here && <InlineComments file={file.path} at={here} />}
                  {openLine != null && openLine === no && (
                    <CommentBox file={file.path} line={no} onClose={() => onOpen(null)} />
                  )}
                </Fragment>
              );
            })}
          </Chunk>
        ))}
      </div>
    </details>
  );
});

/**
 * A run of lines, rendered once it comes near the viewport (and kept): a
 * 20,000-line diff costs only what is on screen. Until then it holds its height.
 */
function Chunk({
  lines,
  eager,
  big,
  children,
}: {
  lines: number;
  eager: boolean;
  big: boolean;
  children: React.ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [seen, setSeen] = useState(eager);
  useEffect(() => {
    if (seen || !ref.current) return;
    const io = new IntersectionObserver(
      (entries) => entries.some((e) => e.isIntersecting) && setSeen(true),
      { rootMargin: "1500px 0px" },
    );
    io.observe(ref.current);
    return () => io.disconnect();
  }, [seen]);
  return (
    <div
      ref={ref}
      className={big ? "d-chunk lazy" : "d-chunk"}
      style={
        seen ? { containIntrinsicSize: `auto ${lines * LINE_PX}px` } : { height: lines * LINE_PX }
      }
    >
      {seen ? children : null}
    </div>
  );
}

function Lines({ lines }: { lines: TDiffLine[] }) {
  return (
    <>
      {lines.map((l) => (
        <Line key={l.index} line={l} commentNo={null} file="" onComment={() => {}} />
      ))}
    </>
  );
}

function Line({
  line,
  commentNo,
  file,
  onComment,
}: {
  line: TDiffLine;
  commentNo: number | null;
  file: string;
  onComment: (at: { file: string; line: number }) => void;
}) {
  return (
    <div className={`d-line d-${line.kind}`} data-line={line.index}>
      <span className="d-no">{line.old ?? ""}</span>
      {commentNo != null ? (
        <button
          type="button"
          className="d-no d-no-btn"
          onClick={() => onComment({ file, line: commentNo })}
          aria-label={`Comment on ${file} line ${commentNo}`}
        >
          {line.new ?? line.old}
        </button>
      ) : (
        <span className="d-no">{line.new ?? ""}</span>
      )}
      <span className="d-text">{line.text ? <Marked text={line.text} /> : " "}</span>
    </div>
  );
}

/** A line with its hidden characters (bidi controls, escapes, zero-width) shown as badges. */
function Marked({ text }: { text: string }) {
  const segments = markHidden(text);
  if (segments.length === 1 && "text" in segments[0]) return text;
  return segments.map((s, i) =>
    "text" in s ? (
      <Fragment key={i}>{s.text}</Fragment>
    ) : (
      <span key={i} className="d-hidden-char" title={s.title} data-hidden-char={s.hidden}>
        ⟨{s.hidden}⟩
      </span>
    ),
  );
}

function InlineComments({ file, at }: { file: string; at: TInline }) {
  const drafts = useLineCommentDrafts();
  return (
    <div className="d-comments">
      {at.signed.map((c, i) => (
        <div key={`s${i}`} className="d-comment signed" data-testid="line-comment">
          <div className="small">
            <strong>{c.by}</strong>{" "}
            <span className="muted">
              signed with a review ({c.verdict}) · {file}:{c.line}
            </span>
          </div>
          <div className="d-comment-text">{c.text}</div>
        </div>
      ))}
      {at.drafts.map(({ c, index }) => (
        <div key={`d${index}`} className="d-comment draft" data-testid="line-comment-draft">
          <div className="small">
            <strong>Your draft</strong>{" "}
            <span className="muted">
              · signed when you sign your review · {file}:{c.line}
            </span>{" "}
            <button type="button" className="secondary small" onClick={() => drafts?.remove(index)}>
              Remove
            </button>
          </div>
          <div className="d-comment-text">{c.text}</div>
        </div>
      ))}
    </div>
  );
}

function CommentBox({ file, line, onClose }: { file: string; line: number; onClose: () => void }) {
  const drafts = useLineCommentDrafts();
  const [text, setText] = useState("");
  return (
    <div className="d-comments">
      <form
        className="d-comment draft stack-col"
        onSubmit={(e) => {
          e.preventDefault();
          if (!text.trim()) return;
          drafts?.add({ file, line, text });
          onClose();
        }}
      >
        <label>
          Comment on {file} line {line}
          <textarea
            autoFocus
            value={text}
            maxLength={MAX_LINE_COMMENT_CHARS}
            onChange={(e) => setText(e.target.value)}
            className="prose"
          />
        </label>
        <span className="small muted">
          Kept in this browser until you sign your review; the signed statement carries it.
        </span>
        <span className="row-gap">
          <button type="submit" disabled={!text.trim()}>
            Add to my review
          </button>{" "}
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
        </span>
      </form>
    </div>
  );
}
