import { readFile } from "node:fs/promises";
import { verifyCheckpoint } from "../../lib/crypto/checkpoint";
import { parseVkey } from "../../lib/crypto/signed-note";
import {
  judgeCheckpoint,
  LOG_WATCH_FORMAT,
  proofToFetch,
  ZWatchState,
  type TWatchState,
} from "../../lib/crypto/log-watch";
import { logClient } from "./log-client";
import { writePrivateFile } from "./private-file";

// `patchgate log watch`: one run of the monitor (issue #16). It keeps one
// checkpoint in a state file; each run fetches the portal's latest, verifies
// its note signature with the pinned key and its consistency with the kept one,
// and keeps the new one only when all of that holds. Safe from cron: no
// prompts, a result the caller prints as one line, an exit status to act on.

/** 0 ok; 1 nothing could be judged (network, arguments, state file); 2 the log misbehaved. */
export type TWatchResult = {
  exit: 0 | 1 | 2;
  kind: "first" | "same" | "grown" | "rollback" | "fork" | "bad-signature" | "error";
  message: string;
  portal: string;
  size?: number;
  rootHash?: string;
  keptSize?: number;
};

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

class WatchError extends Error {
  constructor(
    message: string,
    readonly exit: 1 | 2 = 1,
    readonly kind: TWatchResult["kind"] = "error",
  ) {
    super(message);
  }
}

async function readState(file: string): Promise<TWatchState | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new WatchError(
      `cannot read the state file ${file}: ${(e as NodeJS.ErrnoException).code}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = ZWatchState.safeParse(json);
  if (!parsed.success)
    throw new WatchError(`${file} is not a ${LOG_WATCH_FORMAT} state file; it was left as it is`);
  return parsed.data;
}

/** The kept state, mode 0600, replaced whole (writePrivateFile). */
function writeState(file: string, state: TWatchState): Promise<void> {
  return writePrivateFile(file, JSON.stringify(state, null, 2) + "\n");
}

/** The note's checkpoint, verified with `vkey` (whose name must be its origin). */
function verified(note: string, vkey: string, what: string) {
  try {
    const c = verifyCheckpoint(note, vkey);
    return { size: c.treeSize, root: c.rootHash };
  } catch (e) {
    throw new WatchError(
      `${what} does not verify with the key ${vkey.split("+").slice(0, 2).join("+")}: ${(e as Error).message}`,
      2,
      "bad-signature",
    );
  }
}

async function run(opts: { portal: string; state: string; key?: string }): Promise<TWatchResult> {
  const client = logClient(opts.portal);
  const kept = await readState(opts.state);
  if (kept && kept.portal !== client.base)
    throw new WatchError(`${opts.state} watches ${kept.portal}, not ${client.base}`);
  let given: string | undefined;
  if (opts.key) {
    try {
      given = (await readFile(opts.key, "utf8")).trim();
    } catch (e) {
      throw new WatchError(`cannot read ${opts.key}: ${(e as NodeJS.ErrnoException).code}`);
    }
    try {
      parseVkey(given);
    } catch (e) {
      throw new WatchError(`${opts.key} is not a note verifier key: ${(e as Error).message}`);
    }
    if (kept && kept.vkey !== given)
      throw new WatchError(
        `${opts.state} pins the key ${kept.vkey}, ${opts.key} holds ${given}: a new key is a new log; start a new state file`,
      );
  }
  const vkey = kept?.vkey ?? given ?? (await client.key());
  const keptHead = kept
    ? verified(kept.checkpoint, vkey, `the kept checkpoint in ${opts.state}`)
    : null;
  const note = await client.checkpoint();
  const fresh = verified(note, vkey, `the checkpoint ${client.base} serves`);
  const need = proofToFetch(keptHead, fresh);
  const proof = need ? await client.consistency(need.from, need.to) : null;
  const verdict = judgeCheckpoint(keptHead, fresh, proof);
  const result = {
    portal: client.base,
    size: fresh.size,
    rootHash: b64(fresh.root),
    ...(keptHead ? { keptSize: keptHead.size } : {}),
  };
  if (!verdict.ok) return { exit: 2, kind: verdict.kind, message: verdict.message, ...result };
  await writeState(opts.state, {
    format: LOG_WATCH_FORMAT,
    portal: client.base,
    vkey,
    checkpoint: note,
    size: fresh.size,
    rootHash: b64(fresh.root),
    checkedAt: new Date().toISOString(),
  });
  const pinned = kept
    ? ""
    : ` (key ${vkey.split("+").slice(0, 2).join("+")} pinned${given ? " from --key" : " on first use"})`;
  return {
    exit: 0,
    kind: verdict.kind,
    message: `${verdict.message}, root ${b64(fresh.root)}${pinned}`,
    ...result,
  };
}

/** One run of the monitor; never throws. */
export async function watchLog(opts: {
  portal: string;
  state: string;
  key?: string;
}): Promise<TWatchResult> {
  try {
    return await run(opts);
  } catch (e) {
    const w = e instanceof WatchError ? e : null;
    return {
      exit: w?.exit ?? 1,
      kind: w?.kind ?? "error",
      message: (e as Error).message,
      portal: opts.portal,
    };
  }
}
