"use client";

import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { uploadWithProgress, type TUploadProgress } from "@/lib/browser/upload-with-progress";
import { fileSize, UploadProgress } from "@/app/_components/upload-progress";

type System = { slug: string; name: string; reviewsRequired: number; testsRequired: number };
type Progress = TUploadProgress;

export function NewPatchForm({ systems, maxBytes }: { systems: System[]; maxBytes: number }) {
  const router = useRouter();
  const fileRef = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<Progress>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    const form = new FormData(e.currentTarget);
    const file = fileRef.current?.files?.[0];
    if (!file) return setError("Choose the diff file to upload.");
    if (file.size > maxBytes)
      return setError(`The diff is ${fileSize(file.size)}; the limit is ${fileSize(maxBytes)}.`);
    setBusy(true);
    setProgress({ loaded: 0, total: file.size });
    try {
      const { status, body } = await uploadWithProgress("/patches/new/upload", form, setProgress);
      const data = body as { id?: string; error?: { message?: string } } | null;
      if (status === 201 && data?.id) {
        router.push(`/patches/${data.id}`);
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
    <form className="stack new-patch" onSubmit={submit}>
      <div className="grid-2">
        <label>
          Target system
          <select name="system" required defaultValue={systems[0]?.slug}>
            {systems.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name} ({s.slug}) · {s.reviewsRequired} reviews, {s.testsRequired} tests
              </option>
            ))}
          </select>
        </label>
        <label>
          Title
          <input
            name="title"
            required
            minLength={3}
            maxLength={200}
            placeholder="Fix the domain listing"
          />
        </label>
        <label>
          Bug number
          <input name="bugId" required maxLength={32} placeholder="1234" />
        </label>
        <label>
          Bug&apos;s short description
          <input
            name="bugSummary"
            required
            maxLength={300}
            placeholder="If I delete domains, no server certs are listed"
          />
        </label>
      </div>
      <label>
        Summary
        <textarea
          name="summary"
          required
          maxLength={10_000}
          className="prose"
          placeholder="What the patch changes and why."
        />
      </label>
      <label>
        Diff file (unified diff, up to {fileSize(maxBytes)})
        <input
          ref={fileRef}
          name="diff"
          type="file"
          accept=".diff,.patch,text/x-diff,text/plain"
          required
        />
      </label>
      <UploadProgress progress={progress} checking="checking the diff" />
      {error && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      <span>
        <button type="submit" disabled={busy}>
          {busy ? "Uploading…" : "Upload patch"}
        </button>
      </span>
    </form>
  );
}
