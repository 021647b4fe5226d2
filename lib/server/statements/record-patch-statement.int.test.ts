import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import {
  addProcessSystems,
  makeTeam,
  PATCH_FIELDS,
  requestedPatch,
  type TTeam,
} from "../../../test/process";
import { detachSign, type TSigner } from "../../../test/signers";
import { sampleDiff } from "../../../test/diffs";
import { submitPatch } from "../patches/submit-patch";
import { openDeployment } from "../deployments/open-deployment";
import { issueStatement } from "./issue-statement";
import { recordPatchStatement } from "./record-patch-statement";
import { expectShape } from "../../../test/api-shape";
import { signoffReceipt, ZSignoffReceipt } from "../../api/patch-answers";

// The one entry for a signed patch statement, as the portal's action and the
// API both call it: the kind chooses the use-case.

async function signed(who: TSigner, patchId: string, kind: "submit" | "presence") {
  const { statement } = await issueStatement({ actor: who, patchId, kind });
  return { statement, signature: await detachSign(who.privateKey, statement) };
}

describe("recordPatchStatement", () => {
  let t: TTeam;
  beforeEach(async () => {
    await resetDatabase();
    await addProcessSystems();
    t = await makeTeam();
  });

  it("records a sign-off on the patch", async () => {
    const p = await submitPatch({
      actor: t.dev,
      system: "webdb",
      ...PATCH_FIELDS,
      diff: sampleDiff(),
    });
    const r = await recordPatchStatement({
      actor: t.dev,
      ...(await signed(t.dev, p.id, "submit")),
    });
    expect(r).toMatchObject({ kind: "submit", signoff: { kind: "SUBMIT", state: "IN_REVIEW" } });
    expect(r.presence).toBeUndefined();
    // POST /patches/{id}/signoffs answers it as the OpenAPI document says.
    expectShape(ZSignoffReceipt, signoffReceipt(r));
    expect(await db.signoff.count({ where: { patchId: p.id } })).toBe(1);
  });

  it("records a presence on the visit record, not as a sign-off", async () => {
    const p = await requestedPatch(t, "signer");
    await openDeployment({ actor: t.ca1, patchId: p.id });
    const before = await db.signoff.count({ where: { patchId: p.id } });
    const r = await recordPatchStatement({
      actor: t.ae,
      patchId: p.id,
      ...(await signed(t.ae, p.id, "presence")),
    });
    expect(r).toMatchObject({ kind: "presence", presence: { role: "ACCESS_ENGINEER" } });
    expect(r.signoff).toBeUndefined();
    expectShape(ZSignoffReceipt, signoffReceipt(r));
    expect(await db.visitPresence.count({ where: { userId: t.ae.id } })).toBe(1);
    expect(await db.signoff.count({ where: { patchId: p.id } })).toBe(before);
  });

  it("refuses a statement of another patch than the one the caller names, and uses no nonce", async () => {
    const [p, other] = await Promise.all(
      ["one", "two"].map((s) =>
        submitPatch({ actor: t.dev, system: "webdb", ...PATCH_FIELDS, diff: sampleDiff(s) }),
      ),
    );
    const s = await signed(t.dev, p.id, "submit");
    await expect(
      recordPatchStatement({ actor: t.dev, patchId: other.id, ...s }),
    ).rejects.toMatchObject({ code: "SIGNATURE_REFUSED", details: { reason: "other-patch" } });
    expect(await db.statementNonce.count({ where: { usedAt: { not: null } } })).toBe(0);
    await expect(
      recordPatchStatement({ actor: t.dev, patchId: p.id, ...s }),
    ).resolves.toMatchObject({ kind: "submit" });
  });
});
