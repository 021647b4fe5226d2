import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  fileBytes,
  formFields,
  missingIsRequired,
  readMultipart,
  ZUploadedFile,
} from "./multipart";

const BOUNDARY = "----patchgate-test";
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

function upload(body: BodyInit, headers: Record<string, string> = {}) {
  return new Request("http://test/api/v1/patches", {
    method: "POST",
    body,
    headers: { "content-type": TYPE, ...headers },
    duplex: "half",
  } as RequestInit);
}

/** A body that never ends: only a cap stops reading it. Counts what was pulled. */
function endless(chunk = 16 * 1024) {
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulled += chunk;
      controller.enqueue(new Uint8Array(chunk).fill(0x61));
    },
  });
  return { stream, state };
}

describe("readMultipart", () => {
  it("returns the text fields and the file's exact bytes", async () => {
    const form = new FormData();
    form.set("title", "Fix listing");
    const bytes = new Uint8Array([0x2d, 0x2d, 0x2d, 0x20, 0xff, 0xfe, 0x0a]); // not valid UTF-8: must survive
    form.set("diff", new Blob([bytes]), "fix.diff");
    const encoded = new Response(form);
    const request = new Request("http://test/", {
      method: "POST",
      body: await encoded.arrayBuffer(),
      headers: { "content-type": encoded.headers.get("content-type")! },
    });
    const parsed = await readMultipart(request, 10_000);
    const fields = formFields(parsed, ["title", "system", "diff"]);
    expect(fields).toMatchObject({ title: "Fix listing", system: undefined });
    expect(await fileBytes(ZUploadedFile.parse(fields.diff))).toEqual(bytes);
    expect(ZUploadedFile.safeParse(fields.title).success).toBe(false); // a text field is not a file
    const missing = z
      .object({ system: z.string(), title: z.string().min(30) })
      .safeParse(fields, { error: missingIsRequired });
    expect(missing.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      "system: required",
      expect.stringMatching(/^title: Too small/),
    ]);
  });

  it("refuses a declared Content-Length above the limit before reading the body", async () => {
    const { stream, state } = endless();
    await expect(
      readMultipart(upload(stream, { "content-length": "5000" }), 4096),
    ).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE", status: 413 });
    expect(state.pulled).toBeLessThanOrEqual(16 * 1024 * 2); // at most what the stream queued on its own
  });

  it("stops reading an undeclared body at the first chunk past the limit", async () => {
    const { stream, state } = endless(1024);
    await expect(readMultipart(upload(stream), 64 * 1024)).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
    });
    expect(state.pulled).toBeLessThan(80 * 1024);
  });

  it("refuses what is not multipart/form-data, and broken multipart, as 400", async () => {
    const json = new Request("http://test/", {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    await expect(readMultipart(json, 1000)).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(readMultipart(upload("not a multipart body"), 1000)).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/multipart/),
    });
  });
});
