"use client";

import { useState } from "react";
import { parseSha256sumLine } from "@/lib/domain/tarball";
import styles from "./checklist.module.css";

type TStored = { name: string; sha256: string; bytes: number };

/** Posts the raw file with XMLHttpRequest: fetch() cannot report upload progress. */
function upload(
  patchId: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(
      "POST",
      `/patches/${encodeURIComponent(patchId)}/deployment/tarball?name=${encodeURIComponent(file.name)}`,
    );
    xhr.setRequestHeader("x-patchgate-upload", "1");
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.response });
    xhr.onerror = () => reject(new Error("The upload was interrupted; nothing was stored."));
    xhr.send(file);
  });
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 1)} MB`;

/**
 * Step 7 (P9): the new tarball, bound by its SHA-256. Either the admin uploads
 * it here (streamed to the portal, which hashes the bytes it keeps for the
 * mirror) or pastes the line `sha256sum` printed on the production server.
 */
export function TarballField({ patchId }: { patchId: string }) {
  const [stored, setStored] = useState<TStored | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [line, setLine] = useState("");
  const parsed = line.trim() ? parseSha256sumLine(line) : null;

  async function choose(file: File | undefined) {
    if (!file) return;
    setError(null);
    setStored(null);
    setProgress(0);
    try {
      const r = await upload(patchId, file, setProgress);
      const body = r.body as TStored & { error?: { message: string } };
      if (r.status !== 201)
        throw new Error(body?.error?.message ?? `The server answered ${r.status}.`);
      setStored(body);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setProgress(null);
    }
  }

  return (
    <div className={styles.tarball}>
      <label>
        Upload the new tarball
        <input
          type="file"
          accept=".tar.gz,.tgz,.tar.bz2,.tar.xz,.tar,application/gzip,application/x-tar"
          onChange={(e) => choose(e.target.files?.[0])}
          disabled={progress !== null}
        />
      </label>
      {progress !== null && (
        <progress max={1} value={progress} aria-label="Upload progress">
          {Math.round(progress * 100)} %
        </progress>
      )}
      {stored && (
        <div className={styles.tarballBound} role="status" data-testid="tarball-uploaded">
          Uploaded <b>{stored.name}</b> ({mb(stored.bytes)}), SHA-256{" "}
          <span className="mono">{stored.sha256}</span>
        </div>
      )}
      {error && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      <input type="hidden" name="tarball" value={stored?.name ?? ""} />
      <input type="hidden" name="tarballSha256" value={stored?.sha256 ?? ""} />
      <span className={styles.tarballOr}>
        or, if the tarball stays on the production server (the operator copies it to the worker’s
        TARBALL_DIR):
      </span>
      <label>
        Its sha256sum line
        <input
          name="sha256sum"
          value={line}
          onChange={(e) => setLine(e.target.value)}
          placeholder="e3b0c442…b855  cacert-YYYYMMDD.tar.gz"
          className="mono"
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      <span className="small muted">
        Run <code>sha256sum &lt;tarball&gt;</code> on the server and paste the line it prints.
        {line.trim() &&
          (parsed ? (
            <>
              {" "}
              Reads as <b>{parsed.name}</b>, SHA-256 <span className="mono">{parsed.sha256}</span>.
            </>
          ) : (
            " This is not a sha256sum line: 64 hexadecimal digits, two spaces, the file."
          ))}
      </span>
    </div>
  );
}
