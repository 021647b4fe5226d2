"use client";

import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { uploadWithProgress, type TUploadProgress } from "@/lib/browser/upload-with-progress";

type Progress = TUploadProgress;

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export function HotfixUploadForm({ maxBytes }: { maxBytes: number }) {
  const router = useRouter();
  const fileRef = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<Progress>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    const file = fileRef.current?.files?.[0];
    if (!file) return setError("Choose the hotfix file to upload.");
    if (file.size > maxBytes)
      return setError(`The file is ${mib(file.size)}; the limit is ${mib(maxBytes)}.`);
    setBusy(true);
    setProgress({ loaded: 0, total: file.size });
    try {
      const { status, body } = await uploadWithProgress(
        "/hotfixes/upload",
        new FormData(e.currentTarget),
        setProgress,
      );
      const data = body as { name?: string; error?: { message?: string } } | null;
      if (status === 201 && data?.name) {
        router.push(`/hotfixes/${data.name}`);
        return;
      }
      setError(data?.error?.message ?? `The server answered ${status}; nothing was stored.`);
    } catch (err) {
      setError((err as Error).message);
    }
    setBusy(false);
    setProgress(null);
  }

  const percent =
    progress && progress.total
      ? Math.min(100, Math.round((100 * progress.loaded) / progress.total))
      : 0;
  return (
    <form onSubmit={submit} className="stack" aria-busy={busy}>
      <label>
        Hotfix file (
        <span className="mono">
          &lt;product&gt;-&lt;version&gt;-hotfix_&lt;component&gt;_&lt;description&gt;_&lt;issue&gt;.gz
        </span>
        )
        <input ref={fileRef} type="file" name="file" accept=".gz" required disabled={busy} />
      </label>
      {progress && (
        <div
          className="upload-progress"
          role="progressbar"
          aria-label="Upload progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        >
          <div className="upload-bar" style={{ width: `${percent}%` }} />
          <span className="small muted">
            {percent < 100
              ? `Uploading… ${percent}% (${mib(progress.loaded)} of ${mib(progress.total)})`
              : "Uploaded; the server is checking the archive…"}
          </span>
        </div>
      )}
      {error && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      <div>
        <button type="submit" disabled={busy}>
          {busy ? "Uploading…" : "Upload hotfix"}
        </button>
      </div>
    </form>
  );
}
