import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../../../test/reset";
import { makeKey } from "../../../test/pgp-fixtures";
import { sampleDiff } from "../../../test/diffs";
import { gpgHome } from "../../../peers/gpg";
import { addProcessSystems, makeTeam, PATCH_FIELDS, requestedPatch } from "../../../test/process";
import { submitPatch } from "../patches/submit-patch";
import { auditHash } from "../../crypto/audit-chain";
import { sha256Hex } from "../../crypto/hash";
import { packDossier, readDossier } from "../../dossier/archive";
import { checksumsText, MANIFEST, MANIFEST_SIGNATURE } from "../../dossier/layout";
import type { TEventLine, TManifest } from "../../dossier/manifest";
import { sealDossier } from "../../dossier/portal-seal";
import { verifyDossier } from "../../dossier/verify-dossier";
import { portalPublicKey } from "../portal-key/portal-key";
import { buildDossier } from "./build-dossier";

// Issue #11, finding 1: the red team's forgery. Diff replaced by a backdoor,
// every statement re-signed by an attacker key carrying the real person's name
// and e-mail, the audit events re-hashed, the manifest rewritten to match. It
// passes every check that trusts the dossier's own keys; only the portal's
// signature over manifest.json, checked against a key from outside, stops it.

const BIN = fileURLToPath(new URL("../../../bin/patchgate.mjs", import.meta.url));
type TFiles = Map<string, Uint8Array>;
const utf8 = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytesOf = (text: string) => new TextEncoder().encode(text);

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "patchgate-forgery-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeEach(async () => {
  await resetDatabase();
  await addProcessSystems();
});

/** Every listed hash recomputed, SHA256SUMS rewritten, manifest.json written: the forger's bookkeeping. */
function rewriteManifest(out: TFiles, manifest: TManifest): void {
  out.delete("SHA256SUMS");
  const listed = [...out.keys()].filter((n) => n !== MANIFEST && n !== MANIFEST_SIGNATURE);
  const sums = bytesOf(checksumsText(out));
  out.set("SHA256SUMS", sums);
  manifest.files = Object.fromEntries([
    ...listed.map((n) => [n, sha256Hex(out.get(n)!)]),
    ["SHA256SUMS", sha256Hex(sums)],
  ]);
  out.set(MANIFEST, bytesOf(JSON.stringify(manifest, null, 2) + "\n"));
}

/** The red team's bundle: everything rewritten, manifest.json.asc left as the portal made it. */
async function forge(genuine: TFiles): Promise<TFiles> {
  const out = new Map(genuine);
  const manifest = JSON.parse(utf8(out.get(MANIFEST)!)) as TManifest;
  const diff = utf8(out.get("revisions/r1.diff")!);
  const backdoor = bytesOf(diff.replace("// fix 1", "system($_GET['c']); // fix 1"));
  expect(utf8(backdoor)).not.toBe(diff);
  const oldDiff = manifest.revisions[0].sha256;
  const newDiff = sha256Hex(backdoor);
  out.set("revisions/r1.diff", backdoor);

  // One attacker key per real key, with the real person's name and e-mail on it.
  const swap = new Map<string, Awaited<ReturnType<typeof makeKey>>>();
  for (const k of manifest.keys) {
    swap.set(
      k.fingerprint,
      await makeKey({
        name: k.account.name,
        email: k.account.email,
        date: new Date(Date.now() - 86_400_000),
      }),
    );
    out.delete(k.file);
  }
  const rewrite = (text: string) =>
    [...swap].reduce(
      (t, [o, n]) => t.replaceAll(o, n.fingerprint),
      text.replaceAll(oldDiff, newDiff),
    );

  for (const s of manifest.statements) {
    const text = rewrite(utf8(out.get(s.file)!));
    const attacker = swap.get(s.fingerprint)!;
    out.set(s.file, bytesOf(text));
    const signature = await openpgp.sign({
      message: await openpgp.createMessage({ binary: bytesOf(text) }),
      signingKeys: await openpgp.readPrivateKey({ armoredKey: attacker.privateKey }),
      detached: true,
      date: new Date(s.receivedAt),
    });
    out.set(s.signature, bytesOf(signature.trim() + "\n"));
  }
  for (const attacker of swap.values())
    out.set(`keys/${attacker.fingerprint}.asc`, bytesOf(attacker.publicKey.trim() + "\n"));

  // The patch's events, rewritten and re-hashed, each linked to the one before it where it follows one.
  const events = utf8(out.get("audit/events.jsonl")!)
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as TEventLine);
  const rehashed: TEventLine[] = [];
  for (const e of events) {
    const before = rehashed.at(-1);
    const row = {
      ...e,
      payload: JSON.parse(rewrite(JSON.stringify(e.payload))),
      prevHash: before && BigInt(before.seq) + 1n === BigInt(e.seq) ? before.hash : e.prevHash,
    };
    rehashed.push({
      ...row,
      hash: auditHash({ ...row, seq: BigInt(row.seq), at: new Date(row.at) }),
    });
  }
  out.set("audit/events.jsonl", bytesOf(rehashed.map((e) => JSON.stringify(e) + "\n").join("")));

  const forged = JSON.parse(rewrite(JSON.stringify(manifest))) as TManifest;
  const last = rehashed.at(-1)!;
  if (last.seq === forged.audit.head.seq) forged.audit.head.hash = last.hash;
  rewriteManifest(out, forged);
  return out;
}

/** The forgery with its manifest re-signed by the attacker, whose key poses as the portal's. */
async function forgeWithOwnPortalKey(genuine: TFiles): Promise<TFiles> {
  const out = await forge(genuine);
  const fake = await makeKey({
    name: "Patchgate portal",
    email: "portal@example.org",
    date: new Date(Date.now() - 86_400_000),
  });
  out.set("portal-key.asc", bytesOf(fake.publicKey.trim() + "\n"));
  const manifest = JSON.parse(utf8(out.get(MANIFEST)!)) as TManifest;
  manifest.portal.fingerprint = fake.fingerprint;
  rewriteManifest(out, manifest);
  return sealDossier(
    out,
    await openpgp.readPrivateKey({ armoredKey: fake.privateKey }),
    new Date(manifest.exportedAt),
  );
}

async function anchors() {
  const portal = await portalPublicKey();
  return [{ portalKey: portal.publicArmored }, { portalFingerprint: portal.fingerprint }] as const;
}

/** The problems but the transparency log's (issue #16), which catches every rewritten event on its own. */
const beyondLog = (problems: string[]) => problems.filter((p) => !p.startsWith("log "));

const problemsOf = async (files: TFiles, anchor: Parameters<typeof verifyDossier>[1]["anchor"]) =>
  (await verifyDossier(files, { root: undefined, anchor })).problems.map(
    (c) => `${c.check} ${c.subject}: ${c.message}`,
  );

/** Stock GnuPG with only the portal key, fetched from the portal: `gpg --verify manifest.json.asc manifest.json`. */
async function stockGpgVerify(files: TFiles, label: string) {
  const dir = path.join(work, label);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, MANIFEST), files.get(MANIFEST)!);
  writeFileSync(path.join(dir, MANIFEST_SIGNATURE), files.get(MANIFEST_SIGNATURE)!);
  const g = gpgHome();
  try {
    g.gpg(["--import"], (await portalPublicKey()).publicArmored);
    return spawnSync(
      "gpg",
      [
        "--homedir",
        g.home,
        "--batch",
        "--status-fd",
        "1",
        "--verify",
        MANIFEST_SIGNATURE,
        MANIFEST,
      ],
      { cwd: dir, encoding: "utf8" },
    );
  } finally {
    g.cleanup();
  }
}

/** A requested patch's genuine dossier, with another patch's events after its own (the links). */
async function exportedWithLinks() {
  const t = await makeTeam();
  const p = await requestedPatch(t);
  await submitPatch({ actor: t.dev, system: "webdb", ...PATCH_FIELDS, diff: sampleDiff("other") });
  return readDossier((await buildDossier({ actor: t.a1, patchId: p.id })).bytes);
}

describe("a forged evidence bundle (issue #11, finding 1)", () => {
  it("passes every check that trusts the bundle's own keys, and fails against the portal key from outside", async () => {
    const { root, files: genuine } = await exportedWithLinks();
    const manifest = JSON.parse(utf8(genuine.get(MANIFEST)!)) as TManifest;
    expect(utf8(genuine.get(manifest.audit.links)!)).toMatch(/^\d+ [0-9a-f]{64}\n/);
    expect(manifest.keys[0].account).toMatchObject({
      id: expect.any(String),
      email: expect.any(String),
    });
    expect(manifest.statements.find((s) => s.kind === "review")?.signer.roles).toEqual([
      "ASSESSOR",
    ]);

    // The genuine bundle passes with either anchor.
    for (const anchor of await anchors())
      expect(await problemsOf(genuine, anchor), JSON.stringify(anchor)).toEqual([]);

    const forged = await forge(genuine);
    // What the red team saw: with nothing from outside, only the missing anchor stands in its way,
    // and since issue #16 the transparency log: the rewritten events are not the leaves of the
    // checkpoint the portal signed. The rest of this test is about the seal (beyondLog).
    const unanchored = await problemsOf(forged, null);
    expect(unanchored.filter((p) => p.startsWith("log ")).length).toBeGreaterThan(0);
    for (const p of unanchored.filter((p) => p.startsWith("log ")))
      expect(p).toMatch(
        /^log log\/proofs\.json: event \d+ \(.+\): its leaf is not the one the proof is for$/,
      );
    expect(beyondLog(unanchored)).toEqual([
      expect.stringMatching(
        /^trust manifest\.json\.asc: no trust anchor: nothing in this dossier is proven/,
      ),
    ]);
    for (const anchor of await anchors())
      expect(beyondLog(await problemsOf(forged, anchor))).toEqual([
        expect.stringMatching(
          /^trust manifest\.json\.asc: not a good signature over manifest\.json by the portal key [0-9A-F]{40} .*The signature does not match/,
        ),
      ]);

    // The manifest re-signed by the attacker, whose key stands in for the portal's.
    const resigned = await forgeWithOwnPortalKey(genuine);
    const [byKey, byFingerprint] = await anchors();
    expect(beyondLog(await problemsOf(resigned, byKey))).toEqual([
      expect.stringMatching(
        /^trust manifest\.json\.asc: not a good signature over manifest\.json by the portal key .*The signature was made by key [0-9A-F]{16}, not by the key/,
      ),
    ]);
    expect(beyondLog(await problemsOf(resigned, byFingerprint))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^trust manifest\\.json\\.asc: portal-key\\.asc is key [0-9A-F]{40}, not the portal fingerprint you trust \\(${byFingerprint.portalFingerprint}\\): this dossier was not signed by your portal`,
        ),
      ),
    ]);

    // A genuine bundle with one file changed after signing: the signed manifest's hash says so.
    const changed = new Map(genuine).set("revisions/r1.diff", forged.get("revisions/r1.diff")!);
    const changedProblems = await problemsOf(changed, byFingerprint);
    expect(changedProblems).toContainEqual(
      expect.stringMatching(
        /^sha256 revisions\/r1\.diff: SHA-256 [0-9a-f]{64} is not the manifest's/,
      ),
    );
    expect(changedProblems.some((p) => p.startsWith("trust "))).toBe(false);

    // The CLI says the same and exits 1.
    const gz = path.join(work, "forged.tar.gz");
    writeFileSync(gz, await packDossier(root, forged, new Date()));
    const run = spawnSync(
      process.execPath,
      [BIN, "verify", gz, "--portal-fingerprint", byFingerprint.portalFingerprint],
      { cwd: work, encoding: "utf8", env: { ...process.env, DATABASE_URL: "" } },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /dossier NOT verified: \d+ problem\(s\):\n {2}manifest\.json\.asc: not a good signature/,
    );

    // Stock GnuPG with the portal key from the portal: good for the genuine manifest, bad for both forgeries.
    const good = await stockGpgVerify(genuine, "genuine");
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toMatch(
      new RegExp(`\\[GNUPG:\\] VALIDSIG ${byFingerprint.portalFingerprint} `),
    );
    const bad = await stockGpgVerify(forged, "forged");
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/\[GNUPG:\] BADSIG /);
    const foreign = await stockGpgVerify(resigned, "resigned");
    expect(foreign.status).not.toBe(0);
    expect(foreign.stdout).toMatch(/\[GNUPG:\] (ERRSIG|NO_PUBKEY) /);
  }, 180_000);

  it("names a hole in the chain to the head, or a link that does not reach it, though the portal re-signed it", async () => {
    const { files } = await exportedWithLinks();
    const manifest = JSON.parse(utf8(files.get(MANIFEST)!)) as TManifest;
    const links = utf8(files.get(manifest.audit.links)!).trim().split("\n");
    const [byKey] = await anchors();
    const { portalSigningKey } = await import("../portal-key/portal-key");
    const resealed = async (linkLines: string[]) => {
      const out = new Map(files).set(
        manifest.audit.links,
        bytesOf(linkLines.map((l) => `${l}\n`).join("")),
      );
      const m = structuredClone(manifest);
      rewriteManifest(out, m);
      return sealDossier(out, await portalSigningKey(), new Date());
    };
    expect(await problemsOf(await resealed(links.slice(0, -1)), byKey)).toContainEqual(
      expect.stringMatching(/the chain from event \d+ to the head has 1 hole\(s\)/),
    );
    const last = links.at(-1)!.split(" ");
    expect(
      await problemsOf(
        await resealed([...links.slice(0, -1), `${last[0]} ${"0".repeat(64)}`]),
        byKey,
      ),
    ).toContainEqual(expect.stringMatching(/the hash at seq \d+ is not the head's/));
  }, 120_000);
});
