import * as openpgp from "openpgp";
import { beforeAll, describe, expect, it } from "vitest";
import { makeKey } from "../../test/pgp-fixtures";
import { auditHash } from "../crypto/audit-chain";
import { sha256Hex } from "../crypto/hash";
import { GENESIS_HASH } from "../domain/audit-canonical";
import type { TRole } from "../domain/roles";
import {
  buildEmergencyStatement,
  type TEmergencyStatementFields,
} from "../domain/emergency-statements";
import type { TEventLine } from "./manifest";
import { sealDossier } from "./portal-seal";
import {
  assembleEmergencyBundle,
  emergencyDiffFile,
  emergencyStatementFile,
  type TEmergencyBundleInput,
  type TEmergencyRecord,
} from "./emergency-bundle";
import { verifyEmergencyBundle } from "./verify-emergency-bundle";

// The verifier on emergency bundles made in memory (an option-2 emergency,
// resolved, its dispute ruled): a genuine one passes, and each way of changing
// the record after the fact, sealed again by the portal, is refused with a
// message naming what is wrong.

type TPerson = {
  id: string;
  email: string;
  name: string;
  roles: TRole[];
  fingerprint: string;
  privateKey: string;
  publicKey: string;
};
const E = "em-1";
const AT = new Date("2026-03-01T10:00:00Z");
const DIFF = "--- a/login.php\n+++ b/login.php\n@@ -1 +1 @@\n-check(false);\n+check(true);\n";

let people: Record<"carl" | "ada" | "ari", TPerson>;
let portal: Awaited<ReturnType<typeof makeKey>>;
beforeAll(async () => {
  const roles = { carl: ["CRITICAL_ADMIN"], ada: ["ASSESSOR"], ari: ["ARBITRATOR"] } as const;
  const names = Object.keys(roles) as (keyof typeof roles)[];
  const keys = await Promise.all(
    names.map((n) => makeKey({ email: `${n}@example.org`, date: new Date("2026-01-01Z") })),
  );
  people = Object.fromEntries(
    names.map((n, i) => [
      n,
      {
        id: `acct-${n}`,
        email: `${n}@example.org`,
        name: n.toUpperCase(),
        roles: [...roles[n]],
        ...keys[i],
      },
    ]),
  ) as unknown as typeof people;
  portal = await makeKey({ name: "Patchgate portal", date: new Date("2026-01-01Z") });
});

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

const account = (p: TPerson) => ({ id: p.id, email: p.email, name: p.name });

type TAct = {
  who: TPerson;
  kind: TEmergencyStatementFields["kind"];
  comment: string;
  extra?: Partial<TEmergencyStatementFields>;
};

/** The genuine input; `tamper` changes it before it is assembled and sealed by the portal. */
async function input(): Promise<TEmergencyBundleInput> {
  const sha = sha256Hex(DIFF);
  const acts: TAct[] = [
    { who: people.carl, kind: "option1-unfit", comment: "The testers are unreachable." },
    {
      who: people.ada,
      kind: "option2-patch",
      comment: "Tested locally.",
      extra: { patchSha256: sha },
    },
    {
      who: people.carl,
      kind: "option2-deploy",
      comment: "Deployed at 03:10.",
      extra: { patchSha256: sha },
    },
    { who: people.carl, kind: "resolve", comment: "Solved." },
    {
      who: people.ari,
      kind: "ruling",
      comment: "Justified: option 1 could not finish.",
      extra: { verdict: "justified", disputeId: "dsp-1", disputeNumber: 1 },
    },
  ];
  const statements = await Promise.all(
    acts.map(async (a, i) => {
      const text = buildEmergencyStatement({
        kind: a.kind,
        ...a.extra,
        emergencyId: E,
        emergencyNumber: 7,
        system: "webdb",
        signerId: a.who.id,
        signerEmail: a.who.email,
        keyFingerprint: a.who.fingerprint,
        nonce: `nonce-${i}`,
        issuedAt: new Date(AT.getTime() + i * 1000),
        comment: a.comment,
      });
      return {
        id: `st-${i}`,
        file: emergencyStatementFile(i + 1, a.kind),
        kind: a.kind,
        signer: { account: a.who.id, email: a.who.email, name: a.who.name, roles: a.who.roles },
        fingerprint: a.who.fingerprint,
        receivedAt: new Date(AT.getTime() + i * 1000 + 500),
        text,
        armoredSignature: await sign(a.who.privateKey, text),
      };
    }),
  );
  const diffFile = emergencyDiffFile("option2-patch", sha);
  const moves: TEmergencyRecord["moves"] = acts.slice(0, 4).map((a, i) => ({
    seq: i + 1,
    id: `mv-${i}`,
    kind: a.kind as TEmergencyRecord["moves"][number]["kind"],
    gate: null,
    actor: account(a.who),
    at: new Date(AT.getTime() + i * 1000 + 500).toISOString(),
    reason: a.comment,
    data: a.extra?.patchSha256 ? { sha256: sha } : {},
    statement: { id: `st-${i}`, file: statements[i].file },
  }));
  const record: TEmergencyRecord = {
    id: E,
    number: 7,
    system: { slug: "webdb", name: "WebDB" },
    title: "Login bypass",
    description: "Password check skipped.",
    severity: "critical",
    state: "RESOLVED",
    declaredAt: AT.toISOString(),
    deadlineAt: new Date(AT.getTime() + 86_400_000).toISOString(),
    resolvedAt: moves[3].at,
    closedAt: null,
    testsRequired: 2,
    declarer: account(people.carl),
    responders: [],
    moves,
    sessions: [],
    disputes: [
      {
        id: "dsp-1",
        number: 1,
        cause: "option2",
        reason: "Emergency handled under option 2.",
        state: "RULED",
        filedAt: moves[2].at,
        ruling: {
          id: "rul-1",
          arbitrator: account(people.ari),
          verdict: "justified",
          reasoning: acts[4].comment,
          ruledAt: statements[4].receivedAt.toISOString(),
          statement: { id: "st-4", file: statements[4].file },
        },
      },
    ],
    diffs: [{ file: diffFile, sha256: sha, source: "option2-patch", patch: null, deployed: true }],
    deployments: [],
  };
  const event = (
    who: TPerson,
    action: string,
    subjectType: string,
    subjectId: string,
    payload: object,
  ) => ({
    actorId: who.id,
    actorLabel: who.email,
    action,
    subjectType,
    subjectId,
    payload,
  });
  const events = chain([
    event(people.carl, "emergency.declared", "emergency", E, { number: 7 }),
    ...moves.map((m, i) =>
      event(acts[i].who, "emergency.move", "emergency", E, {
        kind: m.kind,
        statementId: m.statement!.id,
      }),
    ),
    event(people.carl, "dispute.filed", "dispute", "dsp-1", { emergencyId: E, cause: "option2" }),
    event(people.ari, "dispute.ruled", "dispute", "dsp-1", {
      verdict: "justified",
      statementId: "st-4",
    }),
  ]);
  return {
    exportedAt: new Date("2026-03-02T00:00:00Z"),
    portal: { fingerprint: portal.fingerprint, armored: portal.publicKey },
    record,
    statements,
    attachments: new Map([[diffFile, new TextEncoder().encode(DIFF)]]),
    keys: Object.values(people).map((p) => ({
      fingerprint: p.fingerprint,
      armored: p.publicKey,
      account: account(p),
    })),
    events,
    links: [],
    head: { seq: events.at(-1)!.seq, hash: events.at(-1)!.hash, at: events.at(-1)!.at },
  };
}

async function verified(tamper: (i: TEmergencyBundleInput) => void = () => {}) {
  const i = await input();
  tamper(i);
  const key = await openpgp.readPrivateKey({ armoredKey: portal.privateKey });
  const files = await sealDossier(assembleEmergencyBundle(i), key, i.exportedAt);
  return verifyEmergencyBundle(files, {
    root: "emergency-7",
    anchor: { portalKey: portal.publicKey },
  });
}

const problemsOf = async (tamper: (i: TEmergencyBundleInput) => void) => {
  const r = await verified(tamper);
  expect(r.ok).toBe(false);
  return r.problems.map((p) => `${p.check} ${p.subject}: ${p.message}`);
};

describe("verifyEmergencyBundle", () => {
  it("accepts a genuine bundle: signatures, moves, ladder, audit", async () => {
    const r = await verified();
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => c.check)).toEqual(
      expect.arrayContaining(["trust", "sha256", "diff", "key", "statement", "ladder", "audit"]),
    );
  });

  it("refuses a changed diff, naming the file and the statement that names its hash", async () => {
    const problems = await problemsOf((i) => {
      const [file] = [...i.attachments.keys()];
      i.attachments.set(file, new TextEncoder().encode(DIFF.replace("true", "true); backdoor(")));
    });
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^diff diffs\/option2-patch-\w+\.diff: hashes to \w+, not the SHA-256 \w+ the record names: the diff was changed$/,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^statement statements\/002-option2-patch\.txt: names patch-sha256 \w+, which is the SHA-256 of no diff in the bundle$/,
      ),
    );
  });

  it("refuses a changed statement: its reason and its signature", async () => {
    const problems = await problemsOf((i) => {
      i.statements[3].text = i.statements[3].text.replace("Solved.", "Solved, all fine.");
    });
    expect(problems).toContainEqual(
      "statement statements/004-resolve.txt: its signed reason is not the record's move 4 (resolve)'s reason",
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^statement statements\/004-resolve\.txt: statements\/004-resolve\.txt\.asc is not a good signature by \w+/,
      ),
    );
  });

  it("refuses a move removed", async () => {
    const problems = await problemsOf((i) => {
      i.record.moves = i.record.moves.slice(1).map((m, n) => ({ ...m, seq: n + 1 }));
    });
    expect(problems).toContainEqual(
      "statement statements/001-option1-unfit.txt: emergency.json does not say what this statement is for",
    );
    expect(problems).toContainEqual(
      "audit audit/events.jsonl: the audit log records the move option1-unfit (statement st-0) that emergency.json does not list: a move was removed",
    );
  });

  it("refuses moves reordered", async () => {
    const problems = await problemsOf((i) => {
      const m = i.record.moves;
      [m[0], m[1]] = [m[1], m[0]];
    });
    expect(problems).toContainEqual(
      "ladder emergency.json: move 2 (option2-patch) is listed at position 1: the moves are out of order or one is missing",
    );
    expect(problems).toContainEqual(
      "audit audit/events.jsonl: emergency.json lists the moves in another order than the audit log recorded them (option2-patch, option1-unfit, option2-deploy, resolve vs option1-unfit, option2-patch, option2-deploy, resolve)",
    );
  });

  it("refuses a ruling swapped", async () => {
    const problems = await problemsOf((i) => {
      i.record.disputes[0].ruling!.verdict = "not-justified";
    });
    expect(problems).toContainEqual(
      "statement statements/005-ruling.txt: says verdict: justified, dispute #1's ruling not-justified",
    );
  });

  it("refuses a ruling by an arbitrator who took part (E7)", async () => {
    const problems = await problemsOf((i) => {
      i.record.responders.push({
        team: "TESTERS",
        person: account(people.ari),
        namedAt: AT.toISOString(),
        acknowledgedAt: null,
        statement: null,
      });
    });
    expect(problems).toContainEqual(
      "statement statements/005-ruling.txt: ARI took part in the emergency and may not rule on it (E7)",
    );
  });

  it("refuses the state edited", async () => {
    const problems = await problemsOf((i) => {
      i.record.state = "OPTION2";
    });
    expect(problems).toContainEqual(
      "ladder emergency.json: the record says OPTION2; its moves replayed on the ladder make it RESOLVED",
    );
  });

  it("refuses a move signed by someone without its role", async () => {
    const problems = await problemsOf((i) => {
      i.statements[1].signer.roles = ["DEVELOPER"];
    });
    expect(problems).toContainEqual(
      "statement statements/002-option2-patch.txt: the move option2-patch is made by ASSESSOR; the signer held DEVELOPER",
    );
  });

  it("proves nothing with another portal key", async () => {
    const other = await makeKey({ name: "Not the portal" });
    const i = await input();
    const key = await openpgp.readPrivateKey({ armoredKey: portal.privateKey });
    const files = await sealDossier(assembleEmergencyBundle(i), key, i.exportedAt);
    const r = await verifyEmergencyBundle(files, {
      root: "emergency-7",
      anchor: { portalKey: other.publicKey },
    });
    expect(r.ok).toBe(false);
    expect(r.sealed).toBe(false);
  });
});
