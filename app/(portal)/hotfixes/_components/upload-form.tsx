"use client";

import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { uploadWithProgress, type TUploadProgress } from "@/lib/browser/upload-with-progress";
import { fileSize, UploadProgress } from "@/app/_components/upload-progress";

type Progress = TUploadProgress;

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
      return setError(`The file is ${fileSize(file.size)}; the limit is ${fileSize(maxBytes)}.`);
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
      <UploadProgress progress={progress} checking="checking the archive" />
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
