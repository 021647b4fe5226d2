import { generateKeyPairSync } from "node:crypto";
import * as openpgp from "openpgp";
import { beforeAll, describe, expect, it } from "vitest";
import { makeKey } from "../../test/pgp-fixtures";
import { auditHash } from "../crypto/audit-chain";
import { eventLeafHash } from "../crypto/audit-leaf";
import { signCheckpoint } from "../crypto/checkpoint";
import { inclusionRanges, rootOf } from "../crypto/merkle";
import { vkeyOf } from "../crypto/signed-note";
import { GENESIS_HASH } from "../domain/audit-canonical";
import { CheckLog } from "./check-log";
import { LOG_FILES, LOG_PROOFS_FORMAT, type TBundleLog, type TLogProofs } from "./log-manifest";
import type { TEventLine } from "./manifest";
import { checkLogProofs, NO_LOG_MESSAGE } from "./verify-log";

// The log checks on bundles' log files made here the way the contract says the
// portal makes them: a chain of 9 events, the bundle carrying 3 of them with
// their inclusion proofs in the checkpoint's tree. The genuine files pass; each
// tampering is named by the event or the file it touches.

const ORIGIN = "patchgate.example.org/patchgate-log";
const AT = new Date("2026-12-01T10:00:00Z");
const enc = (s: string) => new TextEncoder().encode(s);
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

function chain(n: number): TEventLine[] {
  const events: TEventLine[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e = {
      seq: String(i),
      at: new Date(AT.getTime() - (n - i) * 60_000).toISOString(),
      actorId: "acct-1",
      actorLabel: "ada@example.org",
      action: i === 1 ? "patch.created" : "patch.signed",
      subjectType: "patch",
      subjectId: i % 3 === 0 ? "p2" : "p1",
      payload: { n: i },
      prevHash,
    };
    const hash = auditHash({ ...e, seq: BigInt(i), at: new Date(e.at) });
    events.push({ ...e, hash });
    prevHash = hash;
  }
  return events;
}

const leafOf = (e: TEventLine) => eventLeafHash({ ...e, seq: BigInt(e.seq), at: new Date(e.at) });

let portal: Awaited<ReturnType<typeof makeKey>>;
let stranger: Awaited<ReturnType<typeof makeKey>>;
const note = generateKeyPairSync("ed25519");
const vkey = vkeyOf(ORIGIN, note.publicKey);
const all = chain(9);
const carried = [all[1], all[3], all[7]];

async function pgpSign(bytes: Uint8Array, armoredKey: string) {
  return openpgp.sign({
    message: await openpgp.createMessage({ binary: bytes }),
    signingKeys: await openpgp.readPrivateKey({ armoredKey }),
    detached: true,
    format: "armored",
    date: new Date(AT.getTime() - 1000),
  });
}

/** The log files of a bundle carrying `events`, against the tree of the first `size` events. */
async function logFiles(
  opts: { size?: number; events?: TEventLine[]; signer?: string } = {},
): Promise<{ files: Map<string, Uint8Array>; entry: TBundleLog; proofs: TLogProofs }> {
  const size = opts.size ?? all.length;
  const leaves = all.slice(0, size).map(leafOf);
  const root = rootOf(leaves);
  const checkpoint = signCheckpoint(
    { origin: ORIGIN, treeSize: size, rootHash: root },
    note.privateKey,
  );
  const proofs: TLogProofs = {
    format: LOG_PROOFS_FORMAT,
    treeSize: size,
    rootHash: b64(root),
    events: (opts.events ?? carried).map((e) => {
      const index = Number(e.seq) - 1;
      return {
        seq: e.seq,
        leafIndex: index,
        leafHash: b64(leaves[index]),
        proof: inclusionRanges(index, size).map((r) => b64(rootOf(leaves.slice(r.start, r.end)))),
      };
    }),
  };
  const files = new Map<string, Uint8Array>([
    [LOG_FILES.checkpoint, enc(checkpoint)],
    [LOG_FILES.signature, enc(await pgpSign(enc(checkpoint), opts.signer ?? portal.privateKey))],
    [LOG_FILES.noteKey, enc(vkey + "\n")],
    [LOG_FILES.proofs, enc(JSON.stringify(proofs))],
  ]);
  const entry = {
    checkpoint: LOG_FILES.checkpoint,
    signature: LOG_FILES.signature,
    noteKey: LOG_FILES.noteKey,
    proofs: LOG_FILES.proofs,
    treeSize: size,
  };
  return { files, entry, proofs };
}

async function check(
  files: Map<string, Uint8Array>,
  entry: TBundleLog | undefined,
  events: TEventLine[] = carried,
) {
  const log = new CheckLog();
  const listed = Object.fromEntries([...files.keys()].map((k) => [k, "listed"]));
  const checkpoint = await checkLogProofs(log, {
    files,
    listed,
    entry,
    events,
    portalKey: { armored: portal.publicKey, source: "the portal key you gave" },
    at: AT,
  });
  return { checkpoint, log, problems: log.problems.map((p) => `${p.subject}: ${p.message}`) };
}

beforeAll(async () => {
  portal = await makeKey({ name: "Patchgate portal", date: new Date("2026-01-01Z") });
  stranger = await makeKey({ name: "Not the portal", date: new Date("2026-01-01Z") });
});

describe("checkLogProofs", () => {
  it("passes genuine log files and returns the checkpoint", async () => {
    const { files, entry } = await logFiles();
    const { checkpoint, log, problems } = await check(files, entry);
    expect(problems).toEqual([]);
    expect(checkpoint).toMatchObject({ origin: ORIGIN, size: 9, vkey });
    expect(log.checks.map((c) => c.message)).toEqual([
      expect.stringMatching(
        /^good signature over log\/checkpoint by portal key [0-9A-F]{40} \(the portal key you gave\)$/,
      ),
      expect.stringMatching(
        /tree size 9, root .*, note signed by patchgate\.example\.org\/patchgate-log\+[0-9a-f]{8}/,
      ),
      "all 3 audit events are leaves of the checkpoint's tree (inclusion proofs verified)",
    ]);
  });

  it("says a bundle made before the log has no proofs, and refuses log files no manifest entry names", async () => {
    const old = await check(new Map(), undefined);
    expect(old.problems).toEqual([]);
    expect(old.log.checks.map((c) => c.message)).toEqual([NO_LOG_MESSAGE]);
    expect(old.checkpoint).toBeNull();
    const { files } = await logFiles();
    expect((await check(files, undefined)).problems).toContain(
      "manifest.json: log/proofs.json is in the bundle but the manifest has no log entry",
    );
  });

  it("names an event edited after export: its leaf is not the one proven", async () => {
    const { files, entry } = await logFiles();
    const edited = carried.map((e) => (e.seq === "4" ? { ...e, payload: { n: 40 } } : e));
    expect((await check(files, entry, edited)).problems).toEqual([
      "log/proofs.json: event 4 (patch.signed): its leaf is not the one the proof is for",
    ]);
  });

  it("names the events whose proofs were swapped", async () => {
    const { files, entry, proofs } = await logFiles();
    const [a, b] = [proofs.events[0], proofs.events[2]];
    [a.proof, b.proof] = [b.proof, a.proof];
    files.set(LOG_FILES.proofs, enc(JSON.stringify(proofs)));
    expect((await check(files, entry)).problems).toEqual([
      "log/proofs.json: event 2 (patch.signed): its inclusion proof does not lead to the checkpoint's root",
      "log/proofs.json: event 8 (patch.signed): its inclusion proof does not lead to the checkpoint's root",
    ]);
  });

  it("refuses a checkpoint the portal key did not sign", async () => {
    const { files, entry } = await logFiles({ signer: stranger.privateKey });
    const { problems, checkpoint } = await check(files, entry);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^log\/checkpoint\.asc: not a good signature over log\/checkpoint by the portal key [0-9A-F]{40}: /,
    );
    expect(checkpoint).toBeNull();
  });

  it("refuses a checkpoint whose note signature is not by the bundle's note key", async () => {
    const { files, entry } = await logFiles();
    const other = generateKeyPairSync("ed25519");
    files.set(LOG_FILES.noteKey, enc(vkeyOf(ORIGIN, other.publicKey)));
    expect((await check(files, entry)).problems).toEqual([
      expect.stringMatching(
        /^log\/checkpoint: not a checkpoint signed with log\/note-key: The note is not signed by the key/,
      ),
    ]);
  });

  it("refuses proofs against a checkpoint of another size", async () => {
    const { files: nine, entry } = await logFiles();
    const { files: eight } = await logFiles({ size: 8 });
    // The portal's signed checkpoint of 8 leaves, beside the proofs made for 9.
    for (const f of [LOG_FILES.checkpoint, LOG_FILES.signature]) nine.set(f, eight.get(f)!);
    const { problems } = await check(nine, entry);
    expect(problems[0]).toBe("log/checkpoint: tree size 8, the manifest says 9");
    expect(problems).toContain("log/proofs.json: tree size 9, the checkpoint's is 8");
    expect(problems).toContainEqual(
      expect.stringMatching(/^log\/proofs\.json: root .*, the checkpoint's is /),
    );
  });

  it("names an event without a proof entry, and an entry for an event the bundle lacks", async () => {
    const { files, entry, proofs } = await logFiles();
    proofs.events = proofs.events.filter((p) => p.seq !== "8");
    files.set(LOG_FILES.proofs, enc(JSON.stringify(proofs)));
    expect((await check(files, entry)).problems).toEqual([
      "log/proofs.json: event 8 has 0 proof entries, not one",
    ]);
    const extra = await logFiles({ events: [...carried, all[4]] });
    expect((await check(extra.files, extra.entry)).problems).toEqual([
      "log/proofs.json: a proof entry for event 5, which the bundle lacks",
    ]);
  });
});
