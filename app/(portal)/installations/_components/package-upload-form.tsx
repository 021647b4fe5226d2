"use client";

import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { uploadWithProgress, type TUploadProgress } from "@/lib/browser/upload-with-progress";

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** A package (and its detached signature, if any) posted with progress; the verdict page opens next. */
export function PackageUploadForm({ slug, maxBytes }: { slug: string; maxBytes: number }) {
  const router = useRouter();
  const fileRef = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<TUploadProgress>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    const file = fileRef.current?.files?.[0];
    if (!file) return setError("Choose the package file to upload.");
    if (file.size > maxBytes)
      return setError(`The file is ${mib(file.size)}; the limit is ${mib(maxBytes)}.`);
    const form = new FormData(e.currentTarget);
    const signature = form.get("signature");
    if (signature instanceof File && signature.size === 0) form.delete("signature");
    setBusy(true);
    setProgress({ loaded: 0, total: file.size });
    try {
      const { status, body } = await uploadWithProgress(
        `/installations/${slug}/packages/upload`,
        form,
        setProgress,
      );
      const data = body as { id?: string; error?: { message?: string } } | null;
      if (status === 201 && data?.id) {
        router.push(`/packages/${data.id}`);
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
        Package (<span className="mono">*.sh.signed</span>,{" "}
        <span className="mono">OS4X_UPDATE</span>
        , an OpenPGP signed message, or any file with a detached signature)
        <input ref={fileRef} type="file" name="package" required disabled={busy} />
      </label>
      <label>
        Detached signature (optional)
        <input type="file" name="signature" disabled={busy} />
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
              : "Uploaded; the server is verifying the signature…"}
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
          {busy ? "Uploading…" : "Upload package"}
        </button>
      </div>
    </form>
  );
}
