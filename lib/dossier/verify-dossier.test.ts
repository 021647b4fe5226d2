import * as openpgp from "openpgp";
import { beforeAll, describe, expect, it } from "vitest";
import { makeKey } from "../../test/pgp-fixtures";
import { withLogFiles } from "../../test/log-fixtures";
import { buildStatement, type TStatementKind } from "../domain/statements";
import { auditHash } from "../crypto/audit-chain";
import { GENESIS_HASH } from "../domain/audit-canonical";
import { assembleDossier, type TDossierInput } from "./assemble-dossier";
import { sha256Hex } from "../crypto/hash";
import type { TEventLine, TManifest } from "./manifest";
import { verifyDossier } from "./verify-dossier";
import { sealDossier } from "./portal-seal";
import type { TRole } from "../domain/roles";

// The verifier on dossiers made in memory: the rules a tampering exporter could
// break while keeping every hash and signature intact.

type TPerson = {
  account: string;
  email: string;
  roles: TRole[];
  fingerprint: string;
  privateKey: string;
  publicKey: string;
};
const PATCH = "patch-1-id";
const DIFF = new TextEncoder().encode("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n");
const AT = new Date("2026-03-01T10:00:00Z");

let people: Record<"dev" | "r1" | "r2" | "r3" | "t1" | "t2", TPerson>;
let portal: Awaited<ReturnType<typeof makeKey>>;
const ROLES_OF = (n: string): TRole[] =>
  n === "dev" ? ["DEVELOPER"] : n.startsWith("r") ? ["ASSESSOR"] : ["TESTER"];
beforeAll(async () => {
  const names = ["dev", "r1", "r2", "r3", "t1", "t2"] as const;
  const keys = await Promise.all(
    names.map((n) =>
      makeKey({ email: `${n}@example.org`, date: new Date("2026-01-01T00:00:00Z") }),
    ),
  );
  people = Object.fromEntries(
    names.map((n, i) => [
      n,
      { account: `acct-${n}`, email: `${n}@example.org`, roles: ROLES_OF(n), ...keys[i] },
    ]),
  ) as unknown as typeof people;
  portal = await makeKey({ name: "Patchgate portal", date: new Date("2026-01-01T00:00:00Z") });
});

type TVote = {
  who: TPerson;
  kind: TStatementKind;
  verdict: string;
  account?: string;
  /** The roles the portal says the signer held when it received the statement. */
  roles?: TRole[];
  patchId?: string;
  diffSha256?: string;
  lineComments?: { file: string; line: number; text: string }[];
  comment?: string;
};

async function signed(v: TVote, i: number) {
  const text = buildStatement({
    kind: v.kind,
    verdict: v.verdict,
    patchId: v.patchId ?? PATCH,
    patchNumber: 1,
    revision: 1,
    system: "webdb",
    diffSha256: v.diffSha256 ?? sha256Hex(DIFF),
    bugId: "42",
    signerId: v.account ?? v.who.account,
    signerEmail: v.who.email,
    keyFingerprint: v.who.fingerprint,
    nonce: `nonce-${i}`,
    issuedAt: new Date(AT.getTime() + i * 1000),
    lineComments: v.lineComments,
    comment: v.comment ?? "",
  });
  const signingKeys = await openpgp.readPrivateKey({ armoredKey: v.who.privateKey });
  const message = await openpgp.createMessage({ binary: new TextEncoder().encode(text) });
  const armoredSignature = (await openpgp.sign({
    message,
    signingKeys,
    detached: true,
    date: new Date(AT.getTime() + i * 1000),
  })) as string;
  return { text, armoredSignature };
}

function chain(rows: Omit<TEventLine, "seq" | "prevHash" | "hash" | "at">[]): TEventLine[] {
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

/** A requested patch whose record says exactly what `votes` and `claims` say. */
async function dossier(
  votes: TVote[],
  claims: { state?: TManifest["patch"]["state"]; gates?: TManifest["gates"] } = {},
) {
  const statements = await Promise.all(
    votes.map(async (v, i) => ({
      id: `st-${i}`,
      kind: v.kind,
      verdict: v.verdict,
      revision: 1,
      signer: {
        account: v.account ?? v.who.account,
        email: v.who.email,
        name: "Test Person",
        roles: v.roles ?? v.who.roles,
      },
      fingerprint: v.who.fingerprint,
      receivedAt: new Date(AT.getTime() + i * 1000 + 500),
      ...(await signed(v, i)),
    })),
  );
  const events = chain([
    {
      actorId: people.dev.account,
      actorLabel: "dev",
      action: "patch.created",
      subjectType: "patch",
      subjectId: PATCH,
      payload: {
        number: 1,
        system: "webdb",
        title: "Fix",
        bugId: "42",
        diffSha256: sha256Hex(DIFF),
      },
    },
    ...statements.map((s) => ({
      actorId: s.signer.account,
      actorLabel: s.signer.email,
      action: "patch.signed",
      subjectType: "patch",
      subjectId: PATCH,
      payload: { statementId: s.id, fingerprint: s.fingerprint },
    })),
  ]);
  const input: TDossierInput = {
    exportedAt: new Date("2026-03-02T00:00:00Z"),
    patch: {
      id: PATCH,
      number: 1,
      title: "Fix",
      system: "webdb",
      bugId: "42",
      state: claims.state ?? "REQUESTED",
      revision: 1,
      author: people.dev.account,
    },
    policy: { reviewsRequired: 2, testsRequired: 2, procedure: "WEBDB" },
    gates: claims.gates ?? { reviews: { have: 2, need: 2 }, tests: { have: 2, need: 2 } },
    revisions: [{ number: 1, diff: DIFF, uploadedBy: people.dev.account, createdAt: AT }],
    statements,
    keys: [...new Map(votes.map((v) => [v.who.fingerprint, v.who]))].map(([fingerprint, who]) => ({
      fingerprint,
      armored: who.publicKey,
      account: { id: who.account, email: who.email, name: "Test Person" },
    })),
    events,
    links: [],
    head: { seq: events.at(-1)!.seq, hash: events.at(-1)!.hash, at: events.at(-1)!.at },
    portal: { fingerprint: portal.fingerprint, armored: portal.publicKey },
    deployments: [],
  };
  return sealDossier(
    assembleDossier(input),
    await openpgp.readPrivateKey({ armoredKey: portal.privateKey }),
    input.exportedAt,
  );
}

const standard = (): TVote[] => [
  { who: people.dev, kind: "submit", verdict: "submit" },
  { who: people.r1, kind: "review", verdict: "approve" },
  { who: people.r2, kind: "review", verdict: "approve" },
  { who: people.t1, kind: "test", verdict: "pass" },
  { who: people.t2, kind: "test", verdict: "pass" },
  { who: people.r3, kind: "request", verdict: "request" },
];

async function problems(files: Map<string, Uint8Array>): Promise<string> {
  const report = await verifyDossier(files, {
    root: "patch-1",
    anchor: { portalKey: portal.publicKey },
  });
  return report.problems.map((p) => `${p.subject}: ${p.message}`).join("\n");
}

describe("verifyDossier", () => {
  it("accepts an honest requested patch", async () => {
    expect(await problems(await dossier(standard()))).toBe("");
  });

  it("counts one person once: a second approval by the same reviewer does not meet the gate", async () => {
    const votes = standard().map((v) => (v.who === people.r2 ? { ...v, who: people.r1 } : v));
    const found = await problems(await dossier(votes));
    expect(found).toMatch(/r1@example\.org already voted on revision 1/);
    expect(found).toMatch(/reviews: recorded 2\/2, the signed statements give 1\/2/);
    expect(found).toMatch(/REQUESTED but only 1 of 2 distinct reviewers approved/);
  });

  it("refuses the author's own review", async () => {
    const votes = standard().map((v) => (v.who === people.r2 ? { ...v, who: people.dev } : v));
    expect(await problems(await dossier(votes))).toMatch(
      /the author or uploader signed a review of their own revision 1/,
    );
  });

  it("refuses one key speaking for two accounts", async () => {
    const votes = standard().map((v) =>
      v.who === people.r2 ? { ...v, who: people.r1, account: "acct-sock-puppet" } : v,
    );
    const found = await problems(await dossier(votes));
    expect(found).toMatch(/signed for two accounts/);
    expect(found).toMatch(
      /key [0-9A-F]{40} belongs to account acct-r1 \(Test Person <r1@example\.org>\), not to the signer acct-sock-puppet/,
    );
  });

  it("refuses a statement whose signer did not hold the role its gate needs when it was received", async () => {
    const votes = standard().map((v) => (v.who === people.t2 ? { ...v, roles: [] } : v));
    expect(await problems(await dossier(votes))).toMatch(
      /test-pass-r1\.txt: a test needs patch:test, but the signer held no role when it was received/,
    );
    const demoted = standard().map((v) =>
      v.who === people.r3 ? { ...v, roles: ["TESTER" as const] } : v,
    );
    expect(await problems(await dossier(demoted))).toMatch(
      /a request needs patch:request, but the signer held tester/,
    );
  });

  it("proves nothing without a trust anchor, and nothing with another portal's", async () => {
    const files = await dossier(standard());
    const bare = await verifyDossier(files, { root: "patch-1", anchor: null });
    expect(bare.ok).toBe(false);
    expect(bare.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^no trust anchor: nothing in this dossier is proven without one/),
    ]);
    const other = await makeKey({ name: "Another portal" });
    const wrong = await verifyDossier(files, {
      root: "patch-1",
      anchor: { portalFingerprint: other.fingerprint },
    });
    expect(wrong.problems.map((p) => p.message).join("\n")).toMatch(
      /portal-key\.asc is key [0-9A-F]{40}, not the portal fingerprint you trust/,
    );
    const wrongKey = await verifyDossier(files, {
      root: "patch-1",
      anchor: { portalKey: other.publicKey },
    });
    expect(wrongKey.problems.map((p) => p.message).join("\n")).toMatch(
      /not a good signature over manifest\.json by the portal key/,
    );
  });

  it("refuses a statement bound to another diff, or to another patch, though its signature is good", async () => {
    const otherDiff = standard().map((v) =>
      v.who === people.t1 ? { ...v, diffSha256: "f".repeat(64) } : v,
    );
    expect(await problems(await dossier(otherDiff))).toMatch(
      /diff-sha256 f{64} is not the SHA-256 of revisions\/r1\.diff/,
    );
    const otherPatch = standard().map((v) =>
      v.who === people.t1 ? { ...v, patchId: "another-patch" } : v,
    );
    expect(await problems(await dossier(otherPatch))).toMatch(
      /names patch another-patch, not patch-1-id/,
    );
  });

  it("refuses a recorded state or gates the statements do not support", async () => {
    const noRequest = standard().filter((v) => v.kind !== "request");
    expect(await problems(await dossier(noRequest))).toMatch(
      /recorded state REQUESTED, the statements and deployment record give READY/,
    );
    expect(
      await problems(
        await dossier(standard(), {
          gates: { reviews: { have: 3, need: 2 }, tests: { have: 2, need: 2 } },
        }),
      ),
    ).toMatch(/reviews: recorded 3\/2/);
  });

  it("accepts a withdrawn patch whose signed withdraw states its reason", async () => {
    const withdrawn = [
      ...standard(),
      {
        who: people.r3,
        kind: "withdraw" as const,
        verdict: "withdraw",
        comment: "Superseded by a fix upstream.",
      },
    ];
    expect(await problems(await dossier(withdrawn, { state: "WITHDRAWN" }))).toBe("");
  });

  it("refuses a recorded withdrawal without a signed withdraw, and a withdraw without its reason", async () => {
    expect(await problems(await dossier(standard(), { state: "WITHDRAWN" }))).toMatch(
      /recorded state WITHDRAWN, the statements and deployment record give REQUESTED/,
    );
    const noReason = [
      ...standard(),
      { who: people.r3, kind: "withdraw" as const, verdict: "withdraw" },
    ];
    expect(await problems(await dossier(noReason, { state: "WITHDRAWN" }))).toMatch(
      /a withdraw without its reason/,
    );
  });

  it("reports every problem, not only the first", async () => {
    const files = await dossier(standard());
    files.delete("revisions/r1.diff");
    files.set("audit/events.jsonl", new TextEncoder().encode("not json\n"));
    const report = await verifyDossier(files, {
      root: "patch-2",
      anchor: { portalFingerprint: portal.fingerprint },
    });
    const text = report.problems.map((p) => `${p.subject}: ${p.message}`).join("\n");
    expect(text).toMatch(/revisions\/r1\.diff: listed in the manifest but missing/);
    expect(text).toMatch(/line 1 is not an audit event/);
    expect(text).toMatch(/the dossier's directory should be patch-1/);
    expect(report.problems.length).toBeGreaterThan(6);
  });

  describe("line comments", () => {
    const withComments = (lineComments: TVote["lineComments"]) =>
      standard().map((v) => (v.who === people.r1 ? { ...v, lineComments } : v));

    it("accepts a review whose signed line comments name lines of its diff", async () => {
      const report = await verifyDossier(
        await dossier(withComments([{ file: "x", line: 1, text: "b, not a" }])),
        { root: "patch-1", anchor: { portalKey: portal.publicKey } },
      );
      expect(report.problems).toEqual([]);
    });

    it("refuses line comments on a file or line the diff does not have", async () => {
      expect(
        await problems(await dossier(withComments([{ file: "y", line: 1, text: "?" }]))),
      ).toMatch(/y is not in this diff/);
      expect(
        await problems(await dossier(withComments([{ file: "x", line: 7, text: "?" }]))),
      ).toMatch(/line 7 of x is not in the diff's hunks/);
    });

    it("refuses a statement whose line comments were altered after signing", async () => {
      const files = await dossier(withComments([{ file: "x", line: 1, text: "Wrong." }]));
      const name = [...files.keys()].find((k) => /review-approve/.test(k) && k.endsWith(".txt"))!;
      const text = new TextDecoder().decode(files.get(name)!);
      expect(text).toContain('"text":"Wrong."');
      files.set(name, new TextEncoder().encode(text.replace('"Wrong."', '"Fine."')));
      const found = await problems(files);
      expect(found).toMatch(
        /review-approve-r1\.txt\.asc: The signature does not match the statement/,
      );
    });
  });
});

describe("verifyDossier: the transparency log (issue #16)", () => {
  it("checks the events' inclusion proofs, and says when a dossier predates the log", async () => {
    const plain = await dossier(standard());
    const before = await verifyDossier(plain, { anchor: { portalKey: portal.publicKey } });
    expect(before.checks.filter((c) => c.check === "log").map((c) => c.message)).toEqual([
      "no log proofs (exported before the transparency log)",
    ]);
    const files = await withLogFiles(plain, { portalPrivateKey: portal.privateKey });
    const report = await verifyDossier(files, { anchor: { portalKey: portal.publicKey } });
    expect(report.problems).toEqual([]);
    expect(report.checks.filter((c) => c.check === "log").map((c) => c.subject)).toEqual([
      "log/checkpoint.asc",
      "log/checkpoint",
      "log/proofs.json",
    ]);
  });

  it("names the event whose proof an exporter swapped", async () => {
    const files = await withLogFiles(await dossier(standard()), {
      portalPrivateKey: portal.privateKey,
      edit: (p) =>
        ([p.events[0].proof, p.events[1].proof] = [p.events[1].proof, p.events[0].proof]),
    });
    expect(await problems(files)).toMatch(
      /^log\/proofs\.json: event 1 \(patch\.created\): its inclusion proof does not lead to the checkpoint's root$/m,
    );
  });
});
