import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { detachSign, makeSigner, type TSigner } from "../../../test/signers";
import { makeInstallation, makePackage, makeToken } from "../../../test/factories";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { openUpdate } from "./open-update";
import {
  issuePackageStatement,
  packageChecklist,
  recordPackageSignoff,
} from "./package-statements";
import {
  GET as statementGet,
  POST as statementPost,
} from "@/app/api/v1/packages/[id]/statement/route";
import { POST as signoffsPost } from "@/app/api/v1/packages/[id]/signoffs/route";
import { GET as checklistGet } from "@/app/api/v1/packages/[id]/checklist/route";
import { expectShape } from "../../../test/api-shape";
import { ZPackageChecklist, ZPackageUpdate } from "../../api/openapi-package-modes";
import { ZPackage } from "../../api/openapi-updates";
import { getPackage } from "./package-queries";

type TMode = "AUTOMATIC" | "SEMI_AUTOMATIC" | "MANUAL";

let admin: TSigner;

/** An installation and a VERIFIED package with its update record, opened as intake opens it. */
async function verifiedPackage(mode: TMode, extra: { enterprise?: boolean } = {}) {
  const installation = await makeInstallation({ mode, ...extra });
  const pkg = await makePackage(installation);
  const update = await db.$transaction((tx) => openUpdate(tx, CLI_BOOTSTRAP, pkg, installation));
  return { installation, pkg, update: update! };
}

type TIssue = Omit<Parameters<typeof issuePackageStatement>[0], "actor">;

async function sign(signer: TSigner, q: TIssue & { id: string }) {
  const { statement } = await issuePackageStatement({ actor: signer, ...q });
  const signature = await detachSign(signer.privateKey, statement);
  return recordPackageSignoff({ actor: signer, id: q.id, statement, signature });
}
const apply = (id: string, by = admin) => sign(by, { id, kind: "package-apply" });
const tick = (id: string, step: number, evidence: Record<string, unknown> = {}, by = admin) =>
  sign(by, { id, kind: "package-step", step, evidence });

const DAEMONS_OK = { os4xrd: true, os4xsqd: true, os4xdebugd: true, os4xclientd: true };
const EVIDENCE: Record<number, Record<string, unknown>> = {
  3: { licenceKept: true },
  5: { databaseIncChecked: true },
  7: { databaseIncChecked: true },
  10: DAEMONS_OK,
};

const outboxRows = () => db.outbox.findMany({ where: { kind: "package.post-update" } });
const actions = async (subjectId: string) =>
  (await db.auditEvent.findMany({ where: { subjectId }, orderBy: { seq: "asc" } })).map(
    (e) => e.action,
  );

beforeEach(async () => {
  await resetDatabase();
  admin = await makeSigner(["CRITICAL_ADMIN"]);
});

describe("automatic (U4)", () => {
  it("completes a verified package's update at once and queues the post-update event", async () => {
    const { pkg, update } = await verifiedPackage("AUTOMATIC");
    expect(update).toMatchObject({ state: "COMPLETED", mode: "AUTOMATIC" });
    expect(update.completedAt).toBeInstanceOf(Date);
    const rows = await outboxRows();
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toEqual({ updateId: update.id });
    expect(await actions(pkg.id)).toEqual(["package.update-completed"]);
  });

  it("opens nothing for a quarantined package, and one record however often it is opened", async () => {
    const installation = await makeInstallation({ mode: "AUTOMATIC" });
    const bad = await makePackage(installation, { state: "QUARANTINED" });
    expect(await db.$transaction((tx) => openUpdate(tx, CLI_BOOTSTRAP, bad, installation))).toBe(
      null,
    );
    const pkg = await makePackage(installation);
    await db.$transaction((tx) => openUpdate(tx, CLI_BOOTSTRAP, pkg, installation));
    await db.$transaction((tx) => openUpdate(tx, CLI_BOOTSTRAP, pkg, installation));
    expect(await db.packageUpdate.count()).toBe(1);
    expect(await outboxRows()).toHaveLength(1);
  });
});

describe("semi-automatic: a signed package-apply (U4)", () => {
  it("completes the update with the admin's signed apply and queues the post-update event", async () => {
    const { pkg, update, installation } = await verifiedPackage("SEMI_AUTOMATIC");
    expect(update.state).toBe("AWAITING_APPLY");
    expect(await outboxRows()).toHaveLength(0);

    const { statement } = await issuePackageStatement({
      actor: admin,
      id: pkg.id,
      kind: "package-apply",
    });
    expect(statement).toContain("kind: package-apply\nverdict: apply\n");
    expect(statement).toContain(`installation: ${installation.slug}\n`);
    expect(statement).toContain(`package-sha256: ${pkg.sha256}\n`);
    expect(statement).toContain(`content-sha256: ${pkg.contentSha256}\n`);
    expect(statement).toContain("mode: semi-automatic\n");

    const answer = await recordPackageSignoff({
      actor: admin,
      id: pkg.id,
      statement,
      signature: await detachSign(admin.privateKey, statement),
    });
    expect(answer).toMatchObject({
      id: update.id,
      packageId: pkg.id,
      installation: installation.slug,
      mode: "semi-automatic",
      state: "COMPLETED",
      applied: { by: { id: admin.id, email: admin.email }, fingerprint: admin.fingerprint },
      checklist: null,
      postUpdate: null,
    });
    expectShape(ZPackageUpdate, answer);
    const row = await db.packageUpdate.findUniqueOrThrow({ where: { id: update.id } });
    expect(row).toMatchObject({ state: "COMPLETED", appliedById: admin.id });
    const signed = await db.signedStatement.findUniqueOrThrow({
      where: { id: row.applyStatementId! },
    });
    expect(signed).toMatchObject({
      kind: "package-apply",
      subjectType: "package",
      subjectId: pkg.id,
    });
    expect(await outboxRows()).toHaveLength(1);
    expect(await actions(pkg.id)).toEqual(["package.applied", "package.update-completed"]);
  });

  it("refuses to apply twice", async () => {
    const { pkg } = await verifiedPackage("SEMI_AUTOMATIC");
    // Two statements issued while it awaited its apply: the second is refused when recorded.
    const first = await issuePackageStatement({ actor: admin, id: pkg.id, kind: "package-apply" });
    const second = await issuePackageStatement({ actor: admin, id: pkg.id, kind: "package-apply" });
    await recordPackageSignoff({
      actor: admin,
      id: pkg.id,
      statement: first.statement,
      signature: await detachSign(admin.privateKey, first.statement),
    });
    await expect(
      recordPackageSignoff({
        actor: admin,
        id: pkg.id,
        statement: second.statement,
        signature: await detachSign(admin.privateKey, second.statement),
      }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/already applied/),
    });
    await expect(apply(pkg.id)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/already applied/),
    });
    expect(await outboxRows()).toHaveLength(1);
    expect(await db.signedStatement.count()).toBe(1);
  });

  it("refuses a quarantined package with its reason, when issued and when recorded", async () => {
    const installation = await makeInstallation({ mode: "SEMI_AUTOMATIC" });
    const bad = await makePackage(installation, {
      state: "QUARANTINED",
      reason:
        "The package was signed by CN=Mallory, issued by CN=Mallory, which your trusted certificate does not vouch for.",
    });
    await expect(apply(bad.id)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("quarantined: The package was signed by CN=Mallory"),
    });

    // Verified when the statement was issued, quarantined (re-verified) before it was recorded.
    const { pkg } = await verifiedPackage("SEMI_AUTOMATIC");
    const { statement } = await issuePackageStatement({
      actor: admin,
      id: pkg.id,
      kind: "package-apply",
    });
    await db.updatePackage.update({
      where: { id: pkg.id },
      data: { state: "QUARANTINED", reason: "The certificate CN=c-works expired on 2026-01-01." },
    });
    await expect(
      recordPackageSignoff({
        actor: admin,
        id: pkg.id,
        statement,
        signature: await detachSign(admin.privateKey, statement),
      }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("expired on 2026-01-01"),
    });
    expect(await outboxRows()).toHaveLength(0);
  });

  it("refuses an apply on a manual or automatic installation", async () => {
    const manual = await verifiedPackage("MANUAL");
    await expect(apply(manual.pkg.id)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("updates manually: tick its checklist"),
    });
    const automatic = await verifiedPackage("AUTOMATIC");
    await expect(apply(automatic.pkg.id)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("refuses a person without package:apply, before anything else", async () => {
    const { pkg } = await verifiedPackage("SEMI_AUTOMATIC");
    const assessor = await makeSigner(["ASSESSOR"]);
    await expect(apply(pkg.id, assessor)).rejects.toMatchObject({ code: "FORBIDDEN" });
    // A statement the admin was issued cannot be recorded by the assessor either.
    const { statement } = await issuePackageStatement({
      actor: admin,
      id: pkg.id,
      kind: "package-apply",
    });
    await expect(
      recordPackageSignoff({
        actor: assessor,
        id: pkg.id,
        statement,
        signature: await detachSign(assessor.privateKey, statement),
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      issuePackageStatement({ actor: assessor, id: "no such id", kind: "nonsense" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses a statement recorded against another package", async () => {
    const a = await verifiedPackage("SEMI_AUTOMATIC");
    const b = await verifiedPackage("SEMI_AUTOMATIC");
    const { statement } = await issuePackageStatement({
      actor: admin,
      id: a.pkg.id,
      kind: "package-apply",
    });
    await expect(
      recordPackageSignoff({
        actor: admin,
        id: b.pkg.id,
        statement,
        signature: await detachSign(admin.privateKey, statement),
      }),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/another package/),
    });
  });
});

describe("manual: the checklist in its fixed order (U4)", () => {
  const NON_ENTERPRISE = [1, 2, 3, 4, 5, 9, 10];
  const ENTERPRISE = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it("completes the update when the last step that applies is ticked, in order", async () => {
    const { pkg, update } = await verifiedPackage("MANUAL");
    expect(update.state).toBe("IN_PROGRESS");
    let answer;
    for (const n of NON_ENTERPRISE) {
      expect(await outboxRows()).toHaveLength(0);
      answer = await tick(pkg.id, n, {
        ...EVIDENCE[n],
        ...(n === 1 ? { note: "tar to /backup/os4x.tgz" } : {}),
      });
    }
    expect(answer).toMatchObject({ state: "COMPLETED", mode: "manual", applied: null });
    expect(answer!.checklist!.next).toBe(null);
    expect(answer!.checklist!.steps.map((s) => s.number)).toEqual(NON_ENTERPRISE);
    expect(answer!.checklist!.steps[0].ticked).toMatchObject({
      by: { id: admin.id },
      fingerprint: admin.fingerprint,
      evidence: { note: "tar to /backup/os4x.tgz" },
    });
    expect(answer!.checklist!.steps.at(-1)!.ticked!.evidence).toEqual(DAEMONS_OK);
    expectShape(ZPackageUpdate, answer);
    expectShape(ZPackage, await getPackage({ actor: admin, id: pkg.id }));
    expect(await outboxRows()).toHaveLength(1);
    const steps = await db.packageUpdateStep.findMany({ orderBy: { number: "asc" } });
    expect(steps.map((s) => s.key)).toEqual([
      "backup",
      "database-schema",
      "binaries",
      "config-schema",
      "web-interface",
      "configuration-page",
      "restart-daemons",
    ]);
    const events = await actions(pkg.id);
    expect(events.filter((a) => a === "package.step-ticked")).toHaveLength(7);
    expect(events.at(-1)).toBe("package.update-completed");
    await expect(tick(pkg.id, 10, DAEMONS_OK)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/complete/),
    });
  });

  it("refuses a step out of order, naming the step that comes first", async () => {
    const { pkg } = await verifiedPackage("MANUAL");
    await expect(tick(pkg.id, 3, EVIDENCE[3])).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("Step 1 (Make a backup of everything) comes first"),
    });
    await tick(pkg.id, 1);
    await expect(tick(pkg.id, 1)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Step 1 is already ticked.",
    });
    await expect(tick(pkg.id, 10, DAEMONS_OK)).rejects.toMatchObject({
      message: expect.stringContaining("Step 2 ("),
    });
    await expect(tick(pkg.id, 11)).rejects.toMatchObject({ code: "VALIDATION" });
    expect(await db.packageUpdateStep.count()).toBe(1);
  });

  it("refuses the Enterprise steps on a non-Enterprise installation", async () => {
    const { pkg } = await verifiedPackage("MANUAL", { enterprise: false });
    for (const n of [1, 2, 3, 4, 5]) await tick(pkg.id, n, EVIDENCE[n]);
    for (const n of [6, 7, 8])
      await expect(tick(pkg.id, n, EVIDENCE[n])).rejects.toMatchObject({
        code: "CONFLICT",
        message: expect.stringContaining(
          "is for OS4X Enterprise only; this installation is not Enterprise",
        ),
      });
    const list = await packageChecklist({ actor: admin, id: pkg.id });
    expect(list.next).toMatchObject({ number: 9, key: "configuration-page" });
    expect(list.steps.some((s) => s.enterpriseOnly)).toBe(false);
  });

  it("requires the Enterprise steps on an Enterprise installation", async () => {
    const { pkg } = await verifiedPackage("MANUAL", { enterprise: true });
    for (const n of [1, 2, 3, 4, 5]) await tick(pkg.id, n, EVIDENCE[n]);
    await expect(tick(pkg.id, 9)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("Step 6 (Copy the web access client"),
    });
    let answer;
    for (const n of ENTERPRISE.slice(5)) answer = await tick(pkg.id, n, EVIDENCE[n]);
    expect(answer).toMatchObject({ state: "COMPLETED" });
    expect(await db.packageUpdateStep.count()).toBe(10);
  });

  it("refuses the restart without each daemon's confirmation, and evidence the step does not ask for", async () => {
    const { pkg } = await verifiedPackage("MANUAL");
    for (const n of [1, 2, 3, 4, 5, 9]) await tick(pkg.id, n, EVIDENCE[n]);
    await expect(
      tick(pkg.id, 10, { os4xrd: true, os4xdebugd: true, os4xclientd: true }),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      message: "Step 10 (Restart the daemons) needs your confirmation: os4xsqd restarted.",
    });
    await expect(tick(pkg.id, 10, { ...DAEMONS_OK, os4xrd: false })).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringContaining("os4xrd restarted"),
    });
    await expect(tick(pkg.id, 10, { ...DAEMONS_OK, os4xfoo: true })).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringContaining("no evidence field os4xfoo"),
    });
    await expect(tick(pkg.id, 10, { ...DAEMONS_OK, note: "a\u202Eb" })).rejects.toMatchObject({
      name: "ZodError",
    });
    expect((await db.packageUpdate.findFirstOrThrow()).state).toBe("IN_PROGRESS");
    expect(await tick(pkg.id, 10, DAEMONS_OK)).toMatchObject({ state: "COMPLETED" });
  });

  it("refuses the licence step without its confirmation", async () => {
    const { pkg } = await verifiedPackage("MANUAL");
    await tick(pkg.id, 1);
    await tick(pkg.id, 2);
    await expect(tick(pkg.id, 3)).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringContaining("licence file"),
    });
  });

  it("refuses a statement signed for step 2 and changed to step 3", async () => {
    const { pkg } = await verifiedPackage("MANUAL");
    await tick(pkg.id, 1);
    const { statement } = await issuePackageStatement({
      actor: admin,
      id: pkg.id,
      kind: "package-step",
      step: 2,
    });
    expect(statement).toContain("step: 2\nstep-key: database-schema\n");
    const forged = statement.replace(
      "step: 2\nstep-key: database-schema",
      "step: 3\nstep-key: binaries",
    );
    await expect(
      recordPackageSignoff({
        actor: admin,
        id: pkg.id,
        statement: forged,
        signature: await detachSign(admin.privateKey, forged),
      }),
    ).rejects.toMatchObject({ code: "SIGNATURE_REFUSED", details: { reason: "modified" } });
    // The genuine one still records step 2, and only step 2.
    await recordPackageSignoff({
      actor: admin,
      id: pkg.id,
      statement,
      signature: await detachSign(admin.privateKey, statement),
    });
    expect((await db.packageUpdateStep.findMany()).map((s) => s.number).sort()).toEqual([1, 2]);
  });

  it("refuses a second statement for a step ticked meanwhile", async () => {
    const { pkg } = await verifiedPackage("MANUAL");
    const issue = () =>
      issuePackageStatement({ actor: admin, id: pkg.id, kind: "package-step", step: 1 });
    const [a, b] = [await issue(), await issue()];
    const record = async (s: string) =>
      recordPackageSignoff({
        actor: admin,
        id: pkg.id,
        statement: s,
        signature: await detachSign(admin.privateKey, s),
      });
    await record(a.statement);
    await expect(record(b.statement)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Step 1 is already ticked.",
    });
  });

  it("refuses a step on a semi-automatic installation and a comment on a step", async () => {
    const semi = await verifiedPackage("SEMI_AUTOMATIC");
    await expect(tick(semi.pkg.id, 1)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("sign package-apply instead"),
    });
    const { pkg } = await verifiedPackage("MANUAL");
    await expect(
      issuePackageStatement({
        actor: admin,
        id: pkg.id,
        kind: "package-step",
        step: 1,
        comment: "x",
      }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
  });
});

describe("the API", () => {
  const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

  it("issues a step statement from the query string, records it, and shows the checklist", async () => {
    const { pkg } = await verifiedPackage("MANUAL");
    const token = await makeToken(admin);
    const auth = { authorization: `Bearer ${token}` };
    for (const n of [1, 2]) await tick(pkg.id, n);
    const evidence = encodeURIComponent(JSON.stringify({ licenceKept: true, note: "kept" }));
    const res = await statementGet(
      new Request(
        `http://localhost/api/v1/packages/${pkg.id}/statement?kind=package-step&step=3&evidence=${evidence}`,
        { headers: auth },
      ),
      ctx(pkg.id),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-key-fingerprint")).toBe(admin.fingerprint);
    const statement = await res.text();
    expect(statement.endsWith('\n\n{"licenceKept":true,"note":"kept"}\n')).toBe(true);

    const rec = await signoffsPost(
      new Request(`http://localhost/api/v1/packages/${pkg.id}/signoffs`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({
          statement,
          signature: await detachSign(admin.privateKey, statement),
        }),
      }),
      ctx(pkg.id),
    );
    expect(rec.status).toBe(201);
    const recorded = await rec.json();
    expect(recorded).toMatchObject({
      state: "IN_PROGRESS",
      checklist: { next: { number: 4 } },
    });
    expectShape(ZPackageUpdate, recorded);

    const viaPost = await statementPost(
      new Request(`http://localhost/api/v1/packages/${pkg.id}/statement`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({
          kind: "package-step",
          step: 5,
          evidence: { databaseIncChecked: true },
        }),
      }),
      ctx(pkg.id),
    );
    expect(viaPost.status).toBe(409);
    expect((await viaPost.json()).error.message).toContain("Step 4 (");

    const list = await checklistGet(
      new Request(`http://localhost/api/v1/packages/${pkg.id}/checklist`, { headers: auth }),
      ctx(pkg.id),
    );
    expect(list.status).toBe(200);
    const body = await list.json();
    expect(body).toMatchObject({
      packageId: pkg.id,
      state: "IN_PROGRESS",
      enterprise: false,
      next: { number: 4, key: "config-schema" },
    });
    expect(body.steps[2]).toMatchObject({
      number: 3,
      key: "binaries",
      enterpriseOnly: false,
      confirms: ["licenceKept"],
      ticked: { by: { email: admin.email }, evidence: { licenceKept: true, note: "kept" } },
    });
    expect(body.steps[3].ticked).toBe(null);
    expectShape(ZPackageChecklist, body);

    const bad = await statementGet(
      new Request(
        `http://localhost/api/v1/packages/${pkg.id}/statement?kind=package-step&step=4&evidence=%7Bnot`,
        { headers: auth },
      ),
      ctx(pkg.id),
    );
    expect(bad.status).toBe(400);
    const missing = await checklistGet(
      new Request(`http://localhost/api/v1/packages/nosuch/checklist`, { headers: auth }),
      ctx("nosuch"),
    );
    expect(missing.status).toBe(404);
  });
});
