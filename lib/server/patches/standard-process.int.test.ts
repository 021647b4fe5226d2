import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { signoff } from "../../../test/signers";
import { addProcessSystems, makeTeam, recordVisit, requestedPatch } from "../../../test/process";
import { sampleDiff } from "../../../test/diffs";
import { submitPatch } from "./submit-patch";
import { addRevision } from "./add-revision";
import { getPatch } from "./get-patch";
import { openDeployment } from "../deployments/open-deployment";
import { decideStep, tickStep } from "../../../test/steps";
import { issueStatement } from "../statements/issue-statement";
import { detachSign } from "../../../test/signers";
import { signTheNotification } from "../../../test/workers/deployment";
import { expectShape } from "../../../test/api-shape";
import {
  signoffReceipt,
  ZPatch,
  ZPatchCreated,
  ZPatchPage,
  ZRevisionCreated,
  ZSignoffReceipt,
} from "../../api/patch-answers";
import { deploymentOpened, ZDeploymentOpened } from "../../api/deployment-answers";
import { listPatches } from "./list-patches";

describe("the standard patch process (webdb)", () => {
  beforeEach(async () => {
    await resetDatabase();
    await addProcessSystems();
  });

  it("goes from submission through both gates and the request to a deployed patch, queueing the worker steps", async () => {
    const t = await makeTeam();
    const p = await submitPatch({
      actor: t.dev,
      system: "webdb",
      title: "Fix domain listing",
      summary: "s",
      bugId: "1234",
      bugSummary: "Domains",
      diff: sampleDiff(),
    });
    expect(p.state).toBe("DRAFT");
    // The API's answers as its OpenAPI document describes them (POST /patches, GET /patches/{id}).
    expectShape(ZPatchCreated, p);
    expectShape(ZPatch, await getPatch({ actor: t.a1, patchId: p.id }));
    await signoff(t.dev, p.id, "submit");
    expect((await getPatch({ actor: t.a1, patchId: p.id })).state).toBe("IN_REVIEW");
    await signoff(t.a1, p.id, "review", "approve");
    await signoff(t.a2, p.id, "review", "approve");
    let view = await getPatch({ actor: t.a1, patchId: p.id });
    expect(view).toMatchObject({
      state: "IN_TEST",
      gates: { reviews: { have: 2, need: 2 }, tests: { have: 0, need: 2 } },
    });
    await signoff(t.t1, p.id, "test", "pass");
    await signoff(t.t2, p.id, "test", "pass");
    expect((await getPatch({ actor: t.a1, patchId: p.id })).state).toBe("READY");
    await signoff(t.a3, p.id, "request");
    expect((await getPatch({ actor: t.a1, patchId: p.id })).state).toBe("REQUESTED");

    expectShape(
      ZDeploymentOpened,
      deploymentOpened(await openDeployment({ actor: t.ca1, patchId: p.id })),
    );
    await expect(
      tickStep({ actor: t.ca1, patchId: p.id, number: 2, evidence: {} }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const s1 = await tickStep({ actor: t.ca1, patchId: p.id, number: 1, evidence: {} });
    expect(s1.evidence.request).toMatchObject({ fingerprint: t.a3.fingerprint });
    await tickStep({ actor: t.ca1, patchId: p.id, number: 2, evidence: {} });
    const s3 = await tickStep({
      actor: t.ca1,
      patchId: p.id,
      number: 3,
      evidence: { checksumMatched: true },
    });
    expect(s3.evidence.sha256sum).toBe(`${p.diffSha256}  /tmp/patch-script.diff`);
    await tickStep({
      actor: t.ca1,
      patchId: p.id,
      number: 4,
      evidence: { assessment: "Low risk", webServerStopped: true },
    });
    await tickStep({
      actor: t.ca1,
      patchId: p.id,
      number: 5,
      evidence: { output: "patching file www/account.php", result: "clean" },
    });
    await tickStep({
      actor: t.ca1,
      patchId: p.id,
      number: 6,
      evidence: { commitMessage: "Fix for bug #1234" },
    });
    await tickStep({
      actor: t.ca1,
      patchId: p.id,
      number: 7,
      evidence: { tarball: "cacert-2026-11-25.tar.gz", tarballSha256: "c".repeat(64) },
    });
    await tickStep({ actor: t.ca1, patchId: p.id, number: 8, evidence: {} });
    await expect(
      tickStep({ actor: t.ca1, patchId: p.id, number: 9, evidence: {} }),
    ).rejects.toThrow(/apache2 start/);
    const last = await tickStep({
      actor: t.ca1,
      patchId: p.id,
      number: 9,
      evidence: { webServerRunning: true },
    });
    expect(last.state).toBe("DEPLOYED");
    expectShape(ZSignoffReceipt, signoffReceipt({ kind: "step", step: last }));
    await expect(
      tickStep({ actor: t.ca1, patchId: p.id, number: 10, evidence: {} }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // P7: the worker steps wait for the admin's own signature on the notification.
    expect(await db.outbox.count()).toBe(0);
    await signTheNotification(t.ca1, p.id);
    const outbox = await db.outbox.findMany({ orderBy: { kind: "asc" } });
    expect(outbox.map((o) => o.kind)).toEqual([
      "deployment.bug-update",
      "deployment.mirror",
      "deployment.notify",
      "deployment.reply",
    ]);
    view = await getPatch({ actor: t.a1, patchId: p.id });
    expect(view.signoffs).toHaveLength(6);
    expectShape(ZPatch, view);
    // GET /patches: a page with the deployment's progress.
    const page = await listPatches({ actor: t.a1, limit: 1 });
    // The nine steps by hand are done; the worker's four wait for the outbox.
    expect(page.patches[0].steps).toEqual({ done: 9, failed: 0, total: 13 });
    expectShape(ZPatchPage, page);
  });

  it("stops at a failed apply: the record fails, the patch goes to rework, the assessors are told, nothing later can be ticked", async () => {
    const t = await makeTeam();
    const p = await requestedPatch(t);
    await openDeployment({ actor: t.ca1, patchId: p.id });
    for (const [n, evidence] of [
      [1, {}],
      [2, {}],
      [3, { checksumMatched: true }],
      [4, { assessment: "ok", webServerStopped: false }],
    ] as const) {
      await tickStep({ actor: t.ca1, patchId: p.id, number: n, evidence });
    }
    const failed = await tickStep({
      actor: t.ca1,
      patchId: p.id,
      number: 5,
      evidence: {
        output: "Hunk #1 FAILED at 10.\n1 out of 1 hunk FAILED",
        result: "failed",
        nothingChanged: true,
      },
    });
    expect(failed.state).toBe("REWORK");
    await expect(
      tickStep({ actor: t.ca1, patchId: p.id, number: 6, evidence: { commitMessage: "x" } }),
    ).rejects.toThrow(/failed/);
    expect(await db.outbox.findMany()).toEqual([
      expect.objectContaining({ kind: "patch.apply-failed" }),
    ]);
    const step5 = await db.deploymentStep.findFirstOrThrow({ where: { number: 5 } });
    expect(step5.evidence).toMatchObject({ output: expect.stringContaining("Hunk #1 FAILED") });

    // Rework: a new revision starts over, and the old sign-offs are superseded.
    const r2 = await addRevision({ actor: t.dev, patchId: p.id, diff: sampleDiff("2") });
    expect(r2).toMatchObject({ revision: 2, state: "DRAFT" });
    expectShape(ZRevisionCreated, r2);
    const view = await getPatch({ actor: t.a1, patchId: p.id });
    expectShape(ZPatch, view);
    expect(view.signoffs.every((s) => s.superseded)).toBe(true);
    expect(view.gates.reviews.have).toBe(0);
  });

  it("on the signing server needs the visit (two critical admins, one access engineer) and decisions on steps 3–7", async () => {
    const t = await makeTeam();
    const p = await requestedPatch(t, "signer");
    await openDeployment({ actor: t.ca1, patchId: p.id });
    await expect(
      tickStep({ actor: t.ca1, patchId: p.id, number: 1, evidence: {} }),
    ).rejects.toThrow(/visit/);
    await recordVisit(p.id, [t.ca1, t.ca2, t.ae]);
    await expect(
      tickStep({ actor: t.ca1, patchId: p.id, number: 1, evidence: {} }),
    ).rejects.toThrow(/Decide first/);
    for (const n of [3, 4, 5, 6, 7]) {
      const decided = await decideStep({
        actor: t.ca1,
        patchId: p.id,
        number: n,
        applicable: n === 5,
        reason: n === 5 ? "code on USB stick" : "not needed",
      });
      expectShape(ZSignoffReceipt, signoffReceipt({ kind: "step", step: decided }));
    }
    await tickStep({ actor: t.ca1, patchId: p.id, number: 1, evidence: {} });
    await tickStep({ actor: t.ca1, patchId: p.id, number: 2, evidence: {} });
    const done = await tickStep({
      actor: t.ca1,
      patchId: p.id,
      number: 5,
      evidence: { output: "patching file signer.c", result: "clean" },
    });
    expect(done.state).toBe("DEPLOYED");
    // Only a critical admin present at the visit signs the notification.
    await expect(signTheNotification(t.ca3, p.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await signTheNotification(t.ca2, p.id);
    const kinds = (await db.outbox.findMany()).map((o) => o.kind).sort();
    expect(kinds).toEqual(["deployment.bug-update", "deployment.notify", "deployment.reply"]);
    // The visit's presence, the decisions and the notification, as GET /patches/{id} shows them.
    const view = await getPatch({ actor: t.a1, patchId: p.id });
    expect(view.deployment?.visit.presence).toHaveLength(3);
    expectShape(ZPatch, view);
  });

  it("counts 50 concurrent identical votes once, with 49 clean conflicts", async () => {
    const t = await makeTeam();
    const p = await submitPatch({
      actor: t.dev,
      system: "webdb",
      title: "Race",
      summary: "s",
      bugId: "1",
      bugSummary: "b",
      diff: sampleDiff(),
    });
    await signoff(t.dev, p.id, "submit");
    const statements = await Promise.all(
      Array.from({ length: 50 }, () =>
        issueStatement({ actor: t.a1, patchId: p.id, kind: "review", verdict: "approve" }),
      ),
    );
    const signed = await Promise.all(
      statements.map(async (s) => ({
        statement: s.statement,
        signature: await detachSign(t.a1.privateKey, s.statement),
      })),
    );
    const { recordSignoff } = await import("./record-signoff");
    const results = await Promise.allSettled(
      signed.map((s) => recordSignoff({ actor: t.a1, ...s })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const errors = results
      .filter((r): r is PromiseRejectedResult => r.status === "rejected")
      .map((r) => r.reason.code);
    expect(errors).toEqual(Array(49).fill("CONFLICT"));
    expect(await db.signoff.count({ where: { kind: "REVIEW" } })).toBe(1);
  });
});
