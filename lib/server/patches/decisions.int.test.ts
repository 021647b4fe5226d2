import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { resetDatabase } from "../../../test/reset";
import { detachSign, signoff, type TSigner } from "../../../test/signers";
import { sampleDiff } from "../../../test/diffs";
import {
  addProcessSystems,
  makeTeam,
  PATCH_FIELDS,
  requestedPatch,
  type TTeam,
} from "../../../test/process";
import { makeSigner } from "../../../test/signers";
import { issueStatement } from "../statements/issue-statement";
import { recordPatchStatement } from "../statements/record-patch-statement";
import { openDeployment } from "../deployments/open-deployment";
import { buildDossier } from "../dossier/build-dossier";
import { readDossier } from "../../dossier/archive";
import { verifyDossier } from "../../dossier/verify-dossier";
import { portalPublicKey } from "../portal-key/portal-key";
import { addSystem } from "../systems/add-system";
import { setSystemPolicy } from "../systems/set-policy";
import { submitPatch } from "./submit-patch";
import { addRevision } from "./add-revision";
import { getPatch } from "./get-patch";
import { listQueue } from "./list-queue";
import { expectShape } from "../../../test/api-shape";
import { signoffReceipt, ZPatch, ZSignoffReceipt } from "../../api/patch-answers";

// Each rule of issue 10 items 1, 5 and 6 on the real database: what is
// allowed is recorded, what is refused is refused with its code and writes
// nothing.

async function writes() {
  const [signoffs, statements, nonces, audit, patches, systems] = await Promise.all([
    db.signoff.count(),
    db.signedStatement.count(),
    db.statementNonce.count(),
    db.auditEvent.count(),
    db.patch.findMany({ select: { id: true, state: true, withdrawalId: true } }),
    db.targetSystem.findMany({
      select: { slug: true, reviewsRequired: true, testsRequired: true },
    }),
  ]);
  return { signoffs, statements, nonces, audit, patches, systems };
}

async function refused(attempt: () => Promise<unknown>, expected: object) {
  const before = await writes();
  await expect(attempt()).rejects.toMatchObject(expected);
  expect(await writes()).toEqual(before);
}

async function sign(who: TSigner, statement: string) {
  return recordPatchStatement({
    actor: who,
    statement,
    signature: await detachSign(who.privateKey, statement),
  });
}

async function withdraw(who: TSigner, patchId: string, comment: string) {
  const { statement } = await issueStatement({ actor: who, patchId, kind: "withdraw", comment });
  return sign(who, statement);
}

let t: TTeam;

async function submitted() {
  const p = await submitPatch({
    actor: t.dev,
    system: "webdb",
    ...PATCH_FIELDS,
    diff: sampleDiff(String(Math.random())),
  });
  await signoff(t.dev, p.id, "submit");
  return p;
}

async function ready() {
  const p = await submitted();
  await signoff(t.a1, p.id, "review", "approve");
  await signoff(t.a2, p.id, "review", "approve");
  await signoff(t.t1, p.id, "test", "pass");
  await signoff(t.t2, p.id, "test", "pass");
  return p;
}

beforeEach(async () => {
  await resetDatabase();
  await addProcessSystems();
  t = await makeTeam();
});

describe("item 1: the page offers what the server accepts", () => {
  it("an assessor who has not voted rejects after two approvals, as offered", async () => {
    const p = await submitted();
    await signoff(t.a1, p.id, "review", "approve");
    await signoff(t.a2, p.id, "review", "approve");
    expect((await getPatch({ actor: t.a3, patchId: p.id })).may.review).toEqual([
      "APPROVE",
      "REJECT",
    ]);
    const r = await signoff(t.a3, p.id, "review", "reject", "The escaping is wrong.");
    expect(r).toMatchObject({ kind: "REVIEW", verdict: "REJECT", state: "BLOCKED" });
  });

  it("a tester who has not voted fails a READY patch, as offered; the request is then refused", async () => {
    const p = await ready();
    const tester = await makeSigner(["TESTER"]);
    expect((await getPatch({ actor: tester, patchId: p.id })).may.test).toEqual(["PASS", "FAIL"]);
    expect(await signoff(tester, p.id, "test", "fail", "Breaks on test2.")).toMatchObject({
      state: "BLOCKED",
    });
    await refused(() => issueStatement({ actor: t.a3, patchId: p.id, kind: "request" }), {
      code: "FORBIDDEN",
    });
  });

  it("what is not offered is refused: a second vote, a vote on a requested patch, a revision by another developer", async () => {
    const p = await ready();
    expect((await getPatch({ actor: t.a1, patchId: p.id })).may.review).toEqual([]);
    await refused(
      () => issueStatement({ actor: t.a1, patchId: p.id, kind: "review", verdict: "reject" }),
      { code: "CONFLICT" },
    );
    await signoff(t.a3, p.id, "request");
    const late = await makeSigner(["ASSESSOR"]);
    expect((await getPatch({ actor: late, patchId: p.id })).may).toMatchObject({
      review: [],
      revise: false,
      withdraw: true,
    });
    await refused(
      () => issueStatement({ actor: late, patchId: p.id, kind: "review", verdict: "reject" }),
      { code: "FORBIDDEN" },
    );
    const other = await makeSigner(["DEVELOPER"]);
    const q = await submitted();
    expect((await getPatch({ actor: other, patchId: q.id })).may.revise).toBe(false);
    await refused(() => addRevision({ actor: other, patchId: q.id, diff: sampleDiff("x") }), {
      code: "FORBIDDEN",
    });
  });
});

describe("item 6: withdraw", () => {
  it("the author withdraws with a signed reason: WITHDRAWN, audited, in no queue, in the dossier", async () => {
    const p = await submitted();
    expect((await listQueue({ actor: t.a1 })).review.map((x) => x.id)).toContain(p.id);
    const r = await withdraw(t.dev, p.id, "Superseded by the upstream fix.");
    expect(r).toMatchObject({
      kind: "withdraw",
      withdrawal: { state: "WITHDRAWN", reason: "Superseded by the upstream fix." },
    });
    expectShape(ZSignoffReceipt, signoffReceipt(r));
    const view = await getPatch({ actor: t.a1, patchId: p.id });
    expect(view.state).toBe("WITHDRAWN");
    expectShape(ZPatch, view);
    expect(view.withdrawal).toMatchObject({
      by: { id: t.dev.id },
      reason: "Superseded by the upstream fix.",
      fingerprint: t.dev.fingerprint,
    });
    expect(view.may).toMatchObject({ review: [], test: [], withdraw: false, revise: false });
    expect(
      await db.auditEvent.count({ where: { action: "patch.withdrawn", subjectId: p.id } }),
    ).toBe(1);
    for (const who of Object.values(t)) {
      const queue = await listQueue({ actor: who });
      expect(
        Object.values(queue)
          .flat()
          .map((x) => x.id),
      ).not.toContain(p.id);
    }
    // Nothing more is taken.
    await refused(
      () => issueStatement({ actor: t.a1, patchId: p.id, kind: "review", verdict: "reject" }),
      { code: "FORBIDDEN" },
    );
    await refused(() => addRevision({ actor: t.dev, patchId: p.id, diff: sampleDiff("y") }), {
      code: "FORBIDDEN",
    });
    // The dossier holds the withdraw statement, and the offline verifier accepts it.
    const dossier = await buildDossier({ actor: t.a1, patchId: p.id });
    const { files } = await readDossier(dossier.bytes);
    expect(
      [...files.keys()].some((f) => /statements\/\d+-withdraw-withdraw-r1\.txt$/.test(f)),
    ).toBe(true);
    const report = await verifyDossier(files, {
      root: `patch-${p.number}`,
      anchor: { portalKey: (await portalPublicKey()).publicArmored },
    });
    expect(report.problems).toEqual([]);
  });

  it("an assessor withdraws a requested patch, which leaves the critical admins' queue", async () => {
    const p = await requestedPatch(t);
    expect((await listQueue({ actor: t.ca1 })).deploy.map((x) => x.id)).toContain(p.id);
    await withdraw(t.a1, p.id, "The bug was closed as a duplicate.");
    expect((await listQueue({ actor: t.ca1 })).deploy.map((x) => x.id)).not.toContain(p.id);
    await refused(() => openDeployment({ actor: t.ca1, patchId: p.id }), {});
  });

  it("refuses a withdraw without a reason (400), by a tester or another developer (403), twice (409)", async () => {
    const p = await submitted();
    await refused(
      () => issueStatement({ actor: t.dev, patchId: p.id, kind: "withdraw", comment: " \n " }),
      { code: "VALIDATION", message: expect.stringMatching(/reason/) },
    );
    const other = await makeSigner(["DEVELOPER"]);
    for (const who of [t.t1, other])
      await refused(
        () => issueStatement({ actor: who, patchId: p.id, kind: "withdraw", comment: "No." }),
        { code: "FORBIDDEN" },
      );
    const first = await issueStatement({
      actor: t.dev,
      patchId: p.id,
      kind: "withdraw",
      comment: "Wrong branch.",
    });
    const second = await issueStatement({
      actor: t.a1,
      patchId: p.id,
      kind: "withdraw",
      comment: "Also wrong.",
    });
    await sign(t.dev, first.statement);
    await refused(() => sign(t.a1, second.statement), { code: "CONFLICT" });
  });

  it("refuses to withdraw a patch under deployment or deployed, even with a statement issued before", async () => {
    const p = await requestedPatch(t);
    const early = await issueStatement({
      actor: t.a1,
      patchId: p.id,
      kind: "withdraw",
      comment: "Too late?",
    });
    await openDeployment({ actor: t.ca1, patchId: p.id });
    await refused(() => sign(t.a1, early.statement), {
      code: "FORBIDDEN",
      message: expect.stringMatching(/being deployed/),
    });
    // Every hand step done: the patch is deployed.
    const record = await db.deploymentRecord.findFirstOrThrow({ where: { patchId: p.id } });
    await db.deploymentStep.updateMany({
      where: { recordId: record.id, number: { lte: 9 } },
      data: { status: "DONE", doneAt: new Date() },
    });
    expect((await getPatch({ actor: t.a1, patchId: p.id })).may.withdraw).toBe(false);
    await refused(
      () => issueStatement({ actor: t.a1, patchId: p.id, kind: "withdraw", comment: "No." }),
      { code: "FORBIDDEN", message: expect.stringMatching(/deployed patch cannot be withdrawn/) },
    );
  });
});

describe("item 5: policy", () => {
  it("refuses fewer than two reviews or tests when a system is added, and writes nothing", async () => {
    for (const over of [{ reviewsRequired: 1 }, { testsRequired: 1 }, { reviewsRequired: 0 }])
      await refused(() => addSystem({ actor: CLI_BOOTSTRAP, slug: "low", name: "Low", ...over }), {
        message: expect.stringMatching(/at least 2 (reviews|tests)/),
      });
  });

  it("refuses a policy below two, without a reason, by a non-admin, or for no system", async () => {
    const admin = await makeSigner(["ADMIN"]);
    const base = { slug: "webdb", reviewsRequired: 2, testsRequired: 2, reason: "r" };
    await refused(() => setSystemPolicy({ actor: admin, ...base, reviewsRequired: 1 }), {
      message: expect.stringMatching(/at least 2 reviews/),
    });
    await refused(() => setSystemPolicy({ actor: admin, ...base, testsRequired: 1 }), {
      message: expect.stringMatching(/at least 2 tests/),
    });
    await refused(() => setSystemPolicy({ actor: admin, ...base, reason: " " }), {
      message: expect.stringMatching(/reason/),
    });
    await refused(() => setSystemPolicy({ actor: t.a1, ...base }), { code: "FORBIDDEN" });
    await refused(() => setSystemPolicy({ actor: admin, ...base, slug: "nope" }), {
      code: "NOT_FOUND",
    });
  });

  it("applies to patches not yet requested; a requested patch and its dossier keep the policy it was requested under", async () => {
    const admin = await makeSigner(["ADMIN"]);
    const requested = await requestedPatch(t);
    const readyOne = await ready();
    const r = await setSystemPolicy({
      actor: admin,
      slug: "webdb",
      reviewsRequired: 3,
      testsRequired: 2,
      reason: "Three eyes on webdb after the incident.",
    });
    expect(r).toMatchObject({ from: { reviewsRequired: 2, testsRequired: 2 }, patches: 1 });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "system.policy" } });
    expect(event).toMatchObject({ actorId: admin.id });
    expect(event.payload).toMatchObject({
      to: { reviewsRequired: 3, testsRequired: 2 },
      reason: "Three eyes on webdb after the incident.",
    });

    const back = await getPatch({ actor: t.a3, patchId: readyOne.id });
    expect(back.state).toBe("IN_REVIEW");
    expect(back.gates.reviews).toEqual({ have: 2, need: 3 });
    expect(back.may.review).toEqual(["APPROVE", "REJECT"]);

    const kept = await getPatch({ actor: t.a3, patchId: requested.id });
    expect(kept.state).toBe("REQUESTED");
    expect(kept.gates.reviews).toEqual({ have: 2, need: 2 });
    const { files } = await readDossier(
      (await buildDossier({ actor: t.a3, patchId: requested.id })).bytes,
    );
    const manifest = JSON.parse(
      new TextDecoder().decode(files.get("manifest.json") ?? new Uint8Array()),
    );
    expect(manifest.policy).toMatchObject({ reviewsRequired: 2, testsRequired: 2 });
    const report = await verifyDossier(files, {
      root: `patch-${requested.number}`,
      anchor: { portalKey: (await portalPublicKey()).publicArmored },
    });
    expect(report.problems).toEqual([]);
  });
});
