import type { TUploadProgress } from "@/lib/browser/upload-with-progress";

/** A size as people read it: KiB under a MiB, MiB above. */
export const fileSize = (n: number) =>
  n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** The bar every upload form shows while its file goes up, then what the server is doing with it. */
export function UploadProgress({
  progress,
  checking,
}: {
  progress: TUploadProgress;
  /** What the server does once the bytes are in, e.g. "checking the diff". */
  checking: string;
}) {
  if (!progress) return null;
  const percent = progress.total
    ? Math.min(100, Math.round((100 * progress.loaded) / progress.total))
    : 0;
  return (
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
          ? `Uploading… ${percent}% (${fileSize(progress.loaded)} of ${fileSize(progress.total)})`
          : `Uploaded; the server is ${checking}…`}
      </span>
    </div>
  );
}
