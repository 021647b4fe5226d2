import * as openpgp from "openpgp";
import { beforeAll, describe, expect, it } from "vitest";
import { makeKey } from "../../test/pgp-fixtures";
import { withLogFiles } from "../../test/log-fixtures";
import { NO_LOG_MESSAGE } from "./verify-log";
import { auditHash } from "../crypto/audit-chain";
import { sha256Hex } from "../crypto/hash";
import { GENESIS_HASH } from "../domain/audit-canonical";
import type { TRole } from "../domain/roles";
import { evidenceText } from "../domain/step-statement";
import { parseMajorChanges } from "../domain/update-template";
import {
  buildUpdateStatement,
  type TUpdateStatementFields,
  type TUpdateStatementKind,
} from "../domain/update-statements";
import { checksumsText, CHECKSUMS, MANIFEST, MANIFEST_SIGNATURE } from "./layout";
import type { TEventLine } from "./manifest";
import { sealDossier } from "./portal-seal";
import {
  assembleUpdateBundle,
  type TBundleHttpsChecks,
  type TBundleSeriesEvidence,
  type TUpdateBundleInput,
  type TUpdateBundleManifest,
} from "./update-bundle";
import { verifyUpdateBundle } from "./verify-update-bundle";

// The verifier on release update bundles made in memory: a genuine one passes,
// and each way an exporter (or anyone after it) could change the record while
// keeping the rest intact is named by its own failure.

type TPerson = {
  account: string;
  email: string;
  roles: TRole[];
  fingerprint: string;
  privateKey: string;
  publicKey: string;
};
const UPDATE = "upd-1";
const AT = new Date("2026-03-01T10:00:00Z");
const PACKAGES = ["python-acme", "python-certbot"];
const SERIES = ["jammy", "noble"];
const BODY = `[Impact]

Certbot 2.9 for the stable series.

[Major Changes]

- The --manual-public-ip-logging-ok flag is removed; this is not backwards compatible.
- Better error messages.
`;

let people: Record<"dev" | "r1" | "r2" | "t1", TPerson>;
let portal: Awaited<ReturnType<typeof makeKey>>;
beforeAll(async () => {
  const roles: Record<string, TRole[]> = {
    dev: ["DEVELOPER"],
    r1: ["ASSESSOR"],
    r2: ["ASSESSOR"],
    t1: ["TESTER"],
  };
  const names = Object.keys(roles) as (keyof typeof people)[];
  const keys = await Promise.all(
    names.map((n) => makeKey({ email: `${n}@example.org`, date: new Date("2026-01-01Z") })),
  );
  people = Object.fromEntries(
    names.map((n, i) => [
      n,
      { account: `acct-${n}`, email: `${n}@example.org`, roles: roles[n], ...keys[i] },
    ]),
  ) as unknown as typeof people;
  portal = await makeKey({ name: "Patchgate portal", date: new Date("2026-01-01Z") });
});

type TAct = {
  who: TPerson;
  kind: TUpdateStatementKind;
  verdict: string;
  revision?: number;
  bodySha256?: string;
  change?: number;
  series?: string;
  evidence?: Record<string, unknown>;
  /** The evidence-sha256 the statement signs, when not the evidence's own. */
  evidenceSha256?: string;
  versions?: Record<string, string>;
};

async function sign(privateKey: string, text: string) {
  return (await openpgp.sign({
    message: await openpgp.createMessage({ text }),
    signingKeys: await openpgp.readPrivateKey({ armoredKey: privateKey }),
    detached: true,
    format: "armored",
    date: AT,
  })) as string;
}

function chain(rows: Omit<TEventLine, "seq" | "at" | "prevHash" | "hash">[]): TEventLine[] {
  let prevHash = GENESIS_HASH;
  return rows.map((r, i) => {
    const row = {
      ...r,
      seq: String(i + 1),
      at: new Date(AT.getTime() + i).toISOString(),
      prevHash,
    };
    const hash = auditHash({ ...row, seq: BigInt(row.seq), at: new Date(row.at) });
    prevHash = hash;
    return { ...row, hash };
  });
}

const ACME = (series: string) => ({
  domain: `${series}.test.example.org`,
  certificate: { sha256: "a".repeat(64) },
});

/** An approved update whose record says exactly what `acts` say, one verification of jammy signed. */
async function bundle(
  acts: TAct[],
  opts: {
    state?: TUpdateBundleManifest["update"]["state"];
    tags?: string[];
    body?: string;
    dropEventOf?: number;
    evidence?: TBundleSeriesEvidence;
    checks?: TBundleHttpsChecks;
  } = {},
) {
  const body = opts.body ?? BODY;
  const bodySha256 = sha256Hex(body);
  const changes = parseMajorChanges(body, sha256Hex);
  const all: TAct[] = [{ who: people.dev, kind: "update-submit", verdict: "submit" }, ...acts];
  const statements = await Promise.all(
    all.map(async (a, i) => {
      const change = a.change ? changes.find((c) => c.number === a.change) : undefined;
      const evidence = a.evidence ? evidenceText(a.evidence) : null;
      const f: TUpdateStatementFields = {
        kind: a.kind,
        verdict: a.verdict,
        updateId: UPDATE,
        updateNumber: 1,
        revision: a.revision ?? 1,
        title: "certbot 2.9",
        system: "ubuntu",
        packages: PACKAGES,
        version: "2.9.0",
        series: a.kind === "update-verify" ? [a.series!] : SERIES,
        bugId: "LP: #2047891",
        bodySha256: a.bodySha256 ?? bodySha256,
        ...(a.kind === "update-major-ack"
          ? {
              change: a.change,
              changeText: change?.text ?? "a change",
              changeSha256: change?.sha256 ?? sha256Hex("a change"),
            }
          : {}),
        ...(a.kind === "update-verify"
          ? {
              versions:
                a.versions ?? Object.fromEntries(PACKAGES.map((p) => [p, "2.9.0-1~22.04.1"])),
              evidenceSha256: a.evidenceSha256 ?? sha256Hex(evidence!),
            }
          : {}),
        signerId: a.who.account,
        signerEmail: a.who.email,
        keyFingerprint: a.who.fingerprint,
        nonce: `nonce-${i}`,
        issuedAt: new Date(AT.getTime() + i * 1000),
        comment: a.kind === "update-submit" ? body : "",
      };
      const text = buildUpdateStatement(f);
      return {
        id: `st-${i}`,
        kind: a.kind,
        verdict: a.verdict,
        revision: a.revision ?? 1,
        series: a.kind === "update-verify" ? a.series! : null,
        change:
          a.kind === "update-major-ack"
            ? { number: a.change!, sha256: change?.sha256 ?? sha256Hex("a change") }
            : null,
        signer: { account: a.who.account, email: a.who.email, name: "T", roles: a.who.roles },
        fingerprint: a.who.fingerprint,
        receivedAt: new Date(AT.getTime() + i * 1000 + 500),
        text,
        armoredSignature: await sign(a.who.privateKey, text),
        evidence,
      };
    }),
  );
  const evidence: TBundleSeriesEvidence = opts.evidence ?? [
    ...SERIES.flatMap((series, i) => [
      {
        id: `ev-acme-${series}`,
        revision: 1,
        series,
        kind: "ACME" as const,
        facts: ACME(series),
        ok: true,
        reason: "",
        recordedBy: people.t1.account,
        createdAt: new Date(AT.getTime() + 100_000 + i).toISOString(),
      },
      {
        id: `ev-smoke-${series}`,
        revision: 1,
        series,
        kind: "SMOKE" as const,
        facts: { url: "https://autopkgtest.example.org/1", result: "pass" },
        ok: true,
        reason: "",
        recordedBy: people.t1.account,
        createdAt: new Date(AT.getTime() + 100_000 + i).toISOString(),
      },
    ]),
  ];
  const checks: TBundleHttpsChecks =
    opts.checks ??
    SERIES.flatMap((series) =>
      (["apache", "nginx"] as const).map((server) => ({
        id: `hc-${series}-${server}`,
        revision: 1,
        series,
        server,
        url: `https://${series}.test.example.org/`,
        host: `${series}.test.example.org`,
        port: 443,
        caBundle: null,
        state: "CHECKED" as const,
        requestedBy: people.t1.account,
        createdAt: new Date(AT.getTime() + 200_000).toISOString(),
        checkedAt: new Date(AT.getTime() + 201_000).toISOString(),
        subject: `CN=${series}.test.example.org`,
        sans: [`${series}.test.example.org`],
        issuer: "CN=Test CA",
        notBefore: AT.toISOString(),
        notAfter: new Date(AT.getTime() + 90 * 86_400_000).toISOString(),
        sha256: "b".repeat(64),
        hostValid: true,
        chainValid: true,
        ok: true,
        reason: "",
      })),
    );
  const payloadOf = (s: (typeof statements)[number]) => ({
    number: 1,
    revision: s.revision,
    fingerprint: s.fingerprint,
    statementId: s.id,
    ...(s.kind === "update-submit" ? { bodySha256 } : {}),
  });
  const actionOf: Record<TUpdateStatementKind, string> = {
    "update-submit": "update.submitted",
    "update-review": "update.reviewed",
    "update-major-ack": "update.change-acknowledged",
    "update-verify": "update.verified",
  };
  const event = (action: string, payload: object) => ({
    actorId: people.dev.account,
    actorLabel: "dev",
    action,
    subjectType: "update",
    subjectId: UPDATE,
    payload,
  });
  const events = chain([
    event("update.created", { number: 1 }),
    ...statements
      .filter((_, i) => i !== opts.dropEventOf)
      .map((s) => event(actionOf[s.kind], payloadOf(s))),
    ...evidence.map((e) => event("update.evidence-recorded", { evidenceId: e.id })),
    ...checks.flatMap((c) => [
      event("update.https-check-requested", { checkId: c.id }),
      event("update.https-checked", { checkId: c.id, ok: c.ok }),
    ]),
  ]);
  const input: TUpdateBundleInput = {
    exportedAt: new Date("2026-03-02T00:00:00Z"),
    portal: { fingerprint: portal.fingerprint, armored: portal.publicKey },
    update: {
      id: UPDATE,
      number: 1,
      title: "certbot 2.9",
      template: "sru",
      system: "ubuntu",
      reviewsRequired: 2,
      packages: PACKAGES,
      version: "2.9.0",
      series: SERIES,
      bugId: "LP: #2047891",
      state: opts.state ?? "APPROVED",
      revision: 1,
      body,
      createdBy: { id: people.dev.account, email: people.dev.email, name: "T" },
      createdAt: AT.toISOString(),
      submittedAt: AT.toISOString(),
      approvedAt: AT.toISOString(),
    },
    revisions: [
      {
        number: 1,
        title: "certbot 2.9",
        packages: PACKAGES,
        version: "2.9.0",
        series: SERIES,
        bugId: "LP: #2047891",
        bodySha256,
        statement: "st-0",
        submittedBy: people.dev.account,
        createdAt: AT.toISOString(),
        body,
      },
    ],
    statements,
    keys: [...new Map(all.map((a) => [a.who.fingerprint, a.who]))].map(([fingerprint, who]) => ({
      fingerprint,
      armored: who.publicKey,
      account: { id: who.account, email: who.email, name: "T" },
    })),
    seriesEvidence: evidence,
    httpsChecks: checks,
    tags: opts.tags ?? ["verification-done-jammy", "verification-needed-noble"],
    events,
    links: [],
    head: { seq: events.at(-1)!.seq, hash: events.at(-1)!.hash, at: events.at(-1)!.at },
  };
  const key = await openpgp.readPrivateKey({ armoredKey: portal.privateKey });
  return sealDossier(assembleUpdateBundle(input), key, input.exportedAt);
}

const GOOD = (): TAct[] => [
  { who: people.r1, kind: "update-review", verdict: "approve" },
  { who: people.r2, kind: "update-review", verdict: "approve" },
  { who: people.r1, kind: "update-major-ack", verdict: "acknowledge", change: 1 },
  {
    who: people.t1,
    kind: "update-verify",
    verdict: "pass",
    series: "jammy",
    evidence: { acme: ACME("jammy"), smoke: "pass" },
  },
];

const anchor = () => ({ portalKey: portal.publicKey });
const verify = async (files: Map<string, Uint8Array>) =>
  verifyUpdateBundle(files, { root: "update-1", anchor: anchor() });
const failures = (r: Awaited<ReturnType<typeof verify>>) =>
  r.problems.map((p) => `${p.check} ${p.subject}: ${p.message}`);

/** Changes files after export and reseals, as a dishonest exporter holding the portal key could: every hash agrees. */
async function tamper(
  files: Map<string, Uint8Array>,
  change: (f: Map<string, Uint8Array>) => void,
) {
  const out = new Map(files);
  change(out);
  out.delete(MANIFEST_SIGNATURE);
  const m = JSON.parse(new TextDecoder().decode(out.get(MANIFEST)!)) as TUpdateBundleManifest;
  out.delete(MANIFEST);
  out.set(CHECKSUMS, new TextEncoder().encode(checksumsText(out)));
  m.files = Object.fromEntries([...out].map(([n, b]) => [n, sha256Hex(b)]));
  out.set(MANIFEST, new TextEncoder().encode(JSON.stringify(m, null, 2) + "\n"));
  const key = await openpgp.readPrivateKey({ armoredKey: portal.privateKey });
  return sealDossier(out, key, new Date(m.exportedAt));
}

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const named = (files: Map<string, Uint8Array>, part: string) =>
  [...files.keys()].find((n) => n.includes(part))!;

describe("verifyUpdateBundle", () => {
  it("passes a genuine bundle and recomputes its tags", async () => {
    const r = await verify(await bundle(GOOD()));
    expect(failures(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.tags).toEqual(["verification-done-jammy", "verification-needed-noble"]);
    expect(r.checks.filter((c) => c.check === "statement")).toHaveLength(5);
  });

  it("a changed revision body: it no longer hashes to its update-submit's body-sha256", async () => {
    const files = await tamper(await bundle(GOOD()), (f) =>
      f.set("revisions/r1.md", enc(BODY.replace("Better", "Worse"))),
    );
    const r = await verify(files);
    expect(r.ok).toBe(false);
    expect(failures(r)).toContainEqual(
      expect.stringMatching(
        /^statement statements\/01-update-submit-submit-r1\.txt: revisions\/r1\.md hashes to [0-9a-f]{64}, not the body-sha256 [0-9a-f]{64} its update-submit signed: the text was changed$/,
      ),
    );
  });

  it("a swapped signature: another statement's signature over this one", async () => {
    const base = await bundle(GOOD());
    const r1 = named(base, "02-update-review-approve-r1.txt.asc");
    const r2 = named(base, "03-update-review-approve-r1.txt.asc");
    const files = await tamper(base, (f) => {
      const a = f.get(r1)!;
      f.set(r1, f.get(r2)!);
      f.set(r2, a);
    });
    const r = await verify(files);
    expect(failures(r)).toContainEqual(
      expect.stringContaining(
        `statement statements/02-update-review-approve-r1.txt: ${r1} is not a good signature by ${people.r1.fingerprint}`,
      ),
    );
  });

  it("a review of an unknown revision", async () => {
    const r = await verify(
      await bundle([
        ...GOOD(),
        { who: people.r2, kind: "update-review", verdict: "approve", revision: 2 },
      ]),
    );
    expect(failures(r)).toContainEqual(
      "statement statements/06-update-review-approve-r2.txt: it binds revision 2, which is not in the bundle: no signed update-submit made that revision",
    );
  });

  it("a review that names another text than its revision's", async () => {
    const r = await verify(
      await bundle([
        { who: people.r1, kind: "update-review", verdict: "approve", bodySha256: "c".repeat(64) },
        ...GOOD().slice(1),
      ]),
    );
    expect(failures(r)).toContainEqual(
      `statement statements/02-update-review-approve-r1.txt: it names body-sha256 ${"c".repeat(64)}, revision 1's text has ${sha256Hex(BODY)}`,
    );
  });

  it("an acknowledgement of a compatible change", async () => {
    const r = await verify(
      await bundle([
        ...GOOD(),
        { who: people.r2, kind: "update-major-ack", verdict: "acknowledge", change: 2 },
      ]),
    );
    expect(failures(r)).toContainEqual(
      'statement statements/06-update-major-ack-acknowledge-c2-r1.txt: it acknowledges change 2 ("Better error messages."), which is not marked not backwards compatible: only an incompatible change needs an update-major-ack',
    );
  });

  it("an acknowledgement of a change the revision does not list", async () => {
    const r = await verify(
      await bundle([
        ...GOOD(),
        { who: people.r2, kind: "update-major-ack", verdict: "acknowledge", change: 7 },
      ]),
    );
    expect(failures(r)).toContainEqual(
      "statement statements/06-update-major-ack-acknowledge-c7-r1.txt: it acknowledges change 7, which revision 1's Major Changes does not list",
    );
  });

  it("evidence not matching its hash", async () => {
    const base = await bundle(GOOD());
    const file = named(base, "evidence/");
    const files = await tamper(base, (f) =>
      f.set(file, enc(dec(f.get(file)!).replace('"pass"', '"fail"'))),
    );
    const r = await verify(files);
    expect(failures(r)).toContainEqual(
      expect.stringMatching(
        /^statement statements\/05-update-verify-pass-jammy-r1\.txt: its evidence evidence\/05-update-verify-pass-jammy-r1\.json hashes to [0-9a-f]{64}, not the evidence-sha256 [0-9a-f]{64} it signed$/,
      ),
    );
  });

  it("a verification that leaves out a package's version", async () => {
    const acts = GOOD();
    acts[3] = { ...acts[3], versions: { "python-acme": "2.9.0-1" } };
    const r = await verify(await bundle(acts));
    expect(failures(r)).toContainEqual(
      "statement statements/05-update-verify-pass-jammy-r1.txt: it names no version for package python-certbot",
    );
  });

  it("a missing audit event", async () => {
    const r = await verify(await bundle(GOOD(), { dropEventOf: 2 }));
    expect(failures(r)).toEqual([
      "audit audit/events.jsonl: no audit event records statements/03-update-review-approve-r1.txt",
    ]);
  });

  it("a broken seal: the manifest changed after the portal signed it", async () => {
    const files = new Map(await bundle(GOOD()));
    const m = JSON.parse(dec(files.get(MANIFEST)!)) as TUpdateBundleManifest;
    m.update.title = "something else";
    files.set(MANIFEST, enc(JSON.stringify(m, null, 2) + "\n"));
    const r = await verify(files);
    expect(r.sealed).toBe(false);
    expect(failures(r)).toContainEqual(
      expect.stringMatching(
        /^trust manifest\.json\.asc: not a good signature over manifest\.json by the portal key [0-9A-F]{40} \(the portal key you gave\)/,
      ),
    );
  });

  it("tags the evidence does not give, and an approval the reviews do not make", async () => {
    const noAck = GOOD().filter((a) => a.kind !== "update-major-ack");
    const r = await verify(
      await bundle(noAck, { tags: ["verification-done-jammy", "verification-done-noble"] }),
    );
    expect(failures(r)).toEqual([
      "review manifest.json: the record says APPROVED; its signed reviews make it SUBMITTED (waiting for an acknowledgement of major change 1 (not backwards compatible))",
      "tags manifest.json: the manifest's tags (verification-done-jammy, verification-done-noble) are not the ones the bundle's evidence gives (none)",
    ]);
  });

  it("a failed HTTPS check after the pass fails the series", async () => {
    const base = await bundle(GOOD());
    const checks = JSON.parse(dec(base.get("update/https-checks.json")!)) as TBundleHttpsChecks;
    checks[0] = { ...checks[0], ok: false, hostValid: false, reason: "wrong host" };
    const r = await verify(await bundle(GOOD(), { checks }));
    expect(failures(r)).toEqual([
      "tags manifest.json: the manifest's tags (verification-done-jammy, verification-needed-noble) are not the ones the bundle's evidence gives (verification-failed-jammy, verification-needed-noble)",
    ]);
  });

  it("a manifest that calls a review an acknowledgement: named, never a crash", async () => {
    const files = await tamper(await bundle(GOOD()), (f) => {
      const m = JSON.parse(dec(f.get(MANIFEST)!)) as TUpdateBundleManifest;
      m.statements[1] = {
        ...m.statements[1],
        kind: "update-major-ack",
        verdict: "acknowledge",
        change: { number: 1, sha256: "d".repeat(64) },
      };
      f.set(MANIFEST, enc(JSON.stringify(m, null, 2) + "\n"));
    });
    const r = await verify(files);
    expect(failures(r)).toContainEqual(
      "statement statements/02-update-review-approve-r1.txt: says kind: update-review, the bundle update-major-ack",
    );
  });

  it("refuses without a trust anchor", async () => {
    const r = await verifyUpdateBundle(await bundle(GOOD()), { anchor: null });
    expect(r.ok).toBe(false);
    expect(r.sealed).toBe(false);
  });
});

describe("verifyUpdateBundle: the transparency log (issue #16)", () => {
  it("checks the events' inclusion proofs, and names an event missing from proofs.json", async () => {
    const plain = await bundle(GOOD());
    expect((await verify(plain)).checks).toContainEqual(
      expect.objectContaining({ check: "log", ok: true, message: NO_LOG_MESSAGE }),
    );
    const good = await verify(await withLogFiles(plain, { portalPrivateKey: portal.privateKey }));
    expect(failures(good)).toEqual([]);
    expect(good.checks).toContainEqual(
      expect.objectContaining({ check: "log", subject: "log/proofs.json", ok: true }),
    );
    const missing = await verify(
      await withLogFiles(plain, {
        portalPrivateKey: portal.privateKey,
        edit: (p) => void p.events.pop(),
      }),
    );
    expect(failures(missing)).toContainEqual(
      expect.stringMatching(/^log log\/proofs\.json: event \d+ has 0 proof entries, not one$/),
    );
  });
});
