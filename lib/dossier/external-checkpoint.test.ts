import { describe, expect, it } from "vitest";
import { TEST_ORIGIN, testNoteKey, testVkey } from "../../test/log-fixtures";
import { signCheckpoint } from "../crypto/checkpoint";
import { consistencyRanges, leafHash, rootOf } from "../crypto/merkle";
import { textPart } from "../mail/mime";
import { CheckLog } from "./check-log";
import { checkExternalCheckpoint, externalCheckpoint, notesIn } from "./external-checkpoint";
import { LOG_FILES, type TBundleLog } from "./log-manifest";

// `verify --checkpoint`: a checkpoint found in a file as people keep it (the
// bare note, a mail), checked with the bundle's note key and for consistency
// with the bundle's checkpoint, the proof from the portal or the bundle.

const enc = (s: string) => new TextEncoder().encode(s);
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
const leaves = Array.from({ length: 12 }, (_, i) => leafHash(enc(`event ${i + 1}`)));
const note = (size: number, hashes = leaves) =>
  signCheckpoint(
    { origin: TEST_ORIGIN, treeSize: size, rootHash: rootOf(hashes.slice(0, size)) },
    testNoteKey.privateKey,
  );
const proof = (from: number, to: number, hashes = leaves) =>
  consistencyRanges(from, to).map((r) => rootOf(hashes.slice(r.start, r.end)));

const ENTRY: TBundleLog = {
  checkpoint: LOG_FILES.checkpoint,
  signature: LOG_FILES.signature,
  noteKey: LOG_FILES.noteKey,
  proofs: LOG_FILES.proofs,
  treeSize: 7,
};
const bundleFiles = (extra: [string, string][] = []) =>
  new Map<string, Uint8Array>(
    [[LOG_FILES.checkpoint, note(7)], [LOG_FILES.noteKey, testVkey + "\n"], ...extra].map(
      ([k, v]) => [k, enc(v)] as [string, Uint8Array],
    ),
  );

async function compare(
  text: string,
  opts: { files?: Map<string, Uint8Array>; portal?: boolean } = {},
) {
  const log = new CheckLog();
  const asked: string[] = [];
  const ok = await checkExternalCheckpoint(log, {
    files: opts.files ?? bundleFiles(),
    entry: ENTRY,
    name: "list.eml",
    text,
    portal: opts.portal
      ? {
          name: "https://portal.test",
          consistency: (from, to) => {
            asked.push(`${from}→${to}`);
            return Promise.resolve(proof(from, to));
          },
        }
      : undefined,
  });
  return {
    ok,
    asked,
    messages: log.checks.map((c) => `${c.ok ? "ok" : "FAIL"} ${c.subject}: ${c.message}`),
  };
}

describe("notesIn / externalCheckpoint", () => {
  it("finds the note in a mail body (CRLF and quoted-printable included) and in a monitor's state file", () => {
    const n = note(9);
    const mail = `From: portal@example.org\r\nSubject: checkpoint\r\n\r\nToday's checkpoint:\r\n\r\n${n.replace(/\n/g, "\r\n")}\r\n-- \r\nPatchgate\r\n`;
    expect(notesIn(mail, TEST_ORIGIN)).toEqual([n]);
    const qp = mail.replace(/=/g, "=3D").replace("\u2014", "=E2=80=94");
    expect(notesIn(qp, TEST_ORIGIN)).toEqual([n]);
    expect(externalCheckpoint(mail, testVkey)).toMatchObject({ size: 9, origin: TEST_ORIGIN });
    // A monitor's state file keeps it as a JSON string.
    expect(notesIn(JSON.stringify({ size: 9, checkpoint: n }), TEST_ORIGIN)).toEqual([n]);
  });

  it("finds it in the checkpoint mail's quoted-printable part, as the worker writes it", () => {
    const n = note(9);
    const part = textPart(
      [
        "Its signed checkpoint is between the lines below.",
        "",
        "-----BEGIN CHECKPOINT-----",
        n.trimEnd(),
        "-----END CHECKPOINT-----",
        "",
        testVkey,
        "",
      ].join("\n"),
    );
    expect(part).toMatch(/=E2=80=94 /);
    expect(
      externalCheckpoint(`Subject: Patchgate log checkpoint\r\n${part}`, testVkey),
    ).toMatchObject({
      size: 9,
      note: n,
    });
  });

  it("refuses a text without a note of this log, and a note not signed by the key", () => {
    expect(externalCheckpoint("hello\n", testVkey)).toMatch(
      /holds no signed checkpoint of the log/,
    );
    const forged = note(9).replace(
      /\n\n—.*\n$/s,
      "\n\n— " + TEST_ORIGIN + " " + b64(new Uint8Array(68)) + "\n",
    );
    expect(externalCheckpoint(forged, testVkey)).toMatch(
      /holds no checkpoint signed with the bundle's note key/,
    );
  });
});

describe("checkExternalCheckpoint", () => {
  it("refuses a bundle without log proofs: a stripped bundle cannot pass as one from before the log", async () => {
    const log = new CheckLog();
    const ok = await checkExternalCheckpoint(log, {
      files: new Map(),
      entry: undefined,
      name: "list.eml",
      text: note(7),
    });
    expect(ok).toBe(false);
    expect(log.problems.map((p) => p.message)).toEqual([
      "the bundle has no log proofs (exported before the transparency log): there is nothing to compare it with",
    ]);
  });

  it("accepts the same checkpoint without a proof", async () => {
    const r = await compare(note(7));
    expect(r.ok).toBe(true);
    expect(r.messages.at(-1)).toMatch(/are of one append-only log: equal tree sizes, equal roots$/);
  });

  it("fetches the consistency proof from the portal for a later checkpoint, and names the anchor", async () => {
    const r = await compare(note(12), { portal: true });
    expect(r.asked).toEqual(["7→12"]);
    expect(r.ok).toBe(true);
    expect(r.messages.at(-1)).toMatch(
      /\(size 7\) and list\.eml's \(size 12\) are of one append-only log: consistency proof 7 → 12 fetched from https:\/\/portal\.test$/,
    );
  });

  it("reads the proof from the bundle's log/consistency.json for an earlier checkpoint", async () => {
    const carried = JSON.stringify({ from: 4, to: 7, proof: proof(4, 7).map(b64) });
    const r = await compare(note(4), { files: bundleFiles([[LOG_FILES.consistency, carried]]) });
    expect(r.ok).toBe(true);
    expect(r.messages.at(-1)).toMatch(/carried in the bundle's log\/consistency\.json$/);
    const without = await compare(note(4));
    expect(without.ok).toBe(false);
    expect(without.messages.at(-1)).toMatch(
      /a consistency proof 4 → 7 is needed; pass --portal URL/,
    );
  });

  it("catches a fork: a checkpoint of a history with one event rewritten", async () => {
    const forked = [...leaves];
    forked[2] = leafHash(enc("event 3, rewritten"));
    const same = await compare(note(7, forked));
    expect(same.ok).toBe(false);
    expect(same.messages.at(-1)).toMatch(
      /two different roots for the same tree size 7: the log forked/,
    );
    const later = await compare(note(12, forked), { portal: true });
    expect(later.ok).toBe(false);
    expect(later.messages.at(-1)).toMatch(/from size 7 to 12 does not verify/);
  });
});
