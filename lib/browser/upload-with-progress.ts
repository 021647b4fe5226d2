// The portal's upload routes (uploadRoute) from the browser: XMLHttpRequest,
// because fetch() cannot report upload progress, with the header a cross-site
// form cannot send.

export type TUploadProgress = { loaded: number; total: number } | null;

export function uploadWithProgress(
  url: string,
  form: FormData,
  onProgress: (p: TUploadProgress) => void,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("x-patchgate-upload", "1");
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) =>
      onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : 0 });
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.response });
    xhr.onerror = () => reject(new Error("The upload was interrupted; nothing was stored."));
    xhr.send(form);
  });
}
