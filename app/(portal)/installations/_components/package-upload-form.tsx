"use client";

import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { uploadWithProgress, type TUploadProgress } from "@/lib/browser/upload-with-progress";
import { fileSize, UploadProgress } from "@/app/_components/upload-progress";

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
      return setError(`The file is ${fileSize(file.size)}; the limit is ${fileSize(maxBytes)}.`);
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
      <UploadProgress progress={progress} checking="verifying the signature" />
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
