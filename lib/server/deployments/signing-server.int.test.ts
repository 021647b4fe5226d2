import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { makeTeam, visitRecorded, type TTeam } from "../../../test/process";
import type { TSigner } from "../../../test/signers";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { addSystem } from "../systems/add-system";
import { decideStep, tickStep } from "../../../test/steps";

// P6 on the signing server: who may decide and tick, and that a decision, once
// made, is final.

const decideAll = (actor: TSigner, patchId: string) =>
  Promise.all(
    [3, 4, 5, 6, 7].map((n) =>
      decideStep({
        actor,
        patchId,
        number: n,
        applicable: n === 5,
        reason: n === 5 ? "code on USB stick" : "not needed",
      }),
    ),
  );

describe("the signing-server visit (P6)", () => {
  let t: TTeam;
  beforeEach(async () => {
    await resetDatabase();
    await addSystem({
      actor: CLI_BOOTSTRAP,
      slug: "signer",
      name: "signing server",
      procedure: "SIGNING_SERVER",
    });
    t = await makeTeam();
  });

  it("makes a decision on steps 3–7 final: the apply step cannot be skipped after the fact", async () => {
    const p = await visitRecorded(t);
    for (const n of [3, 4, 5, 6, 7]) {
      await decideStep({
        actor: t.ca1,
        patchId: p.id,
        number: n,
        applicable: n === 5,
        reason: n === 5 ? "code on USB stick" : "not needed",
      });
    }
    await tickStep({ actor: t.ca1, patchId: p.id, number: 1, evidence: {} });
    await tickStep({ actor: t.ca1, patchId: p.id, number: 2, evidence: {} });
    const audit = await db.auditEvent.count();

    const redecide = decideStep({
      actor: t.ca2,
      patchId: p.id,
      number: 5,
      applicable: false,
      reason: "skip it after all",
    });
    await expect(redecide).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/already decided; the decision is final/),
    });
    await expect(
      decideStep({
        actor: t.ca1,
        patchId: p.id,
        number: 4,
        applicable: true,
        reason: "changed my mind",
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });

    const step5 = await db.deploymentStep.findFirstOrThrow({ where: { number: 5 } });
    expect(step5).toMatchObject({
      status: "PENDING",
      applicable: true,
      applicabilityReason: "code on USB stick",
    });
    expect(await db.auditEvent.count()).toBe(audit);
    // The record still finishes the normal way: applying step 5 deploys and queues the worker steps.
    const done = await tickStep({
      actor: t.ca1,
      patchId: p.id,
      number: 5,
      evidence: { output: "patching file signer.c", result: "clean" },
    });
    expect(done.state).toBe("DEPLOYED");
  });

  it("records only one of two concurrent decisions on the same step", async () => {
    const p = await visitRecorded(t);
    const results = await Promise.allSettled([
      decideStep({
        actor: t.ca1,
        patchId: p.id,
        number: 5,
        applicable: true,
        reason: "code on USB stick",
      }),
      decideStep({
        actor: t.ca2,
        patchId: p.id,
        number: 5,
        applicable: false,
        reason: "not needed",
      }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({
      reason: { code: "CONFLICT" },
    });
    expect(await db.auditEvent.count({ where: { action: "deployment.applicability" } })).toBe(1);
  });

  it("lets only a critical admin who signed their presence decide or tick", async () => {
    const p = await visitRecorded(t);
    const absent =
      /Only a critical admin present at the visit \(who signed their presence\) ticks the signing-server steps\./;
    await expect(
      decideStep({
        actor: t.ca3,
        patchId: p.id,
        number: 3,
        applicable: false,
        reason: "not needed",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(absent) });
    expect(
      await db.deploymentStep.count({
        where: { applicability: "SITUATIONAL", applicabilityReason: { not: null } },
      }),
    ).toBe(0);

    await decideAll(t.ca2, p.id);
    await expect(
      tickStep({ actor: t.ca3, patchId: p.id, number: 1, evidence: {} }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(absent) });
    expect(await db.deploymentStep.count({ where: { status: "DONE" } })).toBe(0);
    // A present admin ticks.
    await tickStep({ actor: t.ca1, patchId: p.id, number: 1, evidence: {} });
    expect(await db.deploymentStep.count({ where: { status: "DONE" } })).toBe(1);
  });
});
