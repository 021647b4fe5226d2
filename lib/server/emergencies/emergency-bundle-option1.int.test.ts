import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { makeSigner, type TSigner } from "../../../test/signers";
import { sampleDiff } from "../../../test/diffs";
import { sign } from "../../../test/emergencies";
import { makeTeam, type TTeam } from "../../../test/process";
import { EMERGENCY_FIX_EVIDENCE, tickSteps } from "../../../test/steps";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { sha256Hex } from "../../crypto/hash";
import { readDossier } from "../../dossier/archive";
import { verifyEmergencyBundle } from "../../dossier/verify-emergency-bundle";
import { addSystem } from "../systems/add-system";
import { openDeployment } from "../deployments/open-deployment";
import { portalPublicKey } from "../portal-key/portal-key";
import { declareEmergency } from "./declare-emergency";
import { buildEmergencyBundle } from "./build-emergency-bundle";
import { disputeEvidence } from "./dispute-evidence";

// Option 1's bundle: the prepared patch's revisions, every gate's statement
// naming the diff, the deployment record's signed steps, and the deploy gate
// the record made; it verifies offline, and the deployed revision is marked.

const diff = (tag: string) => new TextDecoder().decode(sampleDiff(tag));
let t: TTeam;
let prep: TSigner;
let ari: TSigner;
let emergency: { id: string; number: number };

beforeAll(async () => {
  await resetDatabase();
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
  t = await makeTeam();
  [prep, ari] = await Promise.all([
    makeSigner(["DEVELOPER", "ASSESSOR"]),
    makeSigner(["ARBITRATOR"]),
  ]);
  emergency = await declareEmergency({
    actor: t.ca1,
    system: "webdb",
    title: "Login bypass on webdb",
    description: "Password check skipped for some accounts.",
    severity: "critical",
  });
  const id = emergency.id;
  await sign(prep, id, "option1-patch", "Fix the password check.", { diff: diff("one") });
  // A tester fails it; a new revision starts the gates again.
  await sign(t.a1, id, "gate", "Reviewed.", {
    gate: "review-1",
    develCommit: "a1b2c3d4e5f6",
    testServer: "test1.cacert.org",
  });
  await sign(t.t1, id, "gate", "Login still skipped.", { gate: "test", verdict: "fail" });
  await sign(prep, id, "option1-patch", "Second try.", { diff: diff("two") });
  await sign(t.a1, id, "gate", "Reviewed again.", {
    gate: "review-1",
    develCommit: "b2c3d4e5f6a1",
    testServer: "test1.cacert.org",
  });
  await sign(t.t1, id, "gate", "Logins checked.", { gate: "test", verdict: "pass" });
  await sign(t.t2, id, "gate", "Checked too.", { gate: "test", verdict: "pass" });
  await sign(t.a2, id, "gate", "Forwarded to the critical team.", { gate: "review-2" });
  const patch = await db.patch.findFirstOrThrow({ where: { emergencyId: id } });
  await openDeployment({ actor: t.ca2, patchId: patch.id });
  await tickSteps(t.ca2, patch.id, 9, EMERGENCY_FIX_EVIDENCE);
}, 120_000);

describe("option 1's evidence bundle", () => {
  it("holds both revisions, every gate, the signed deployment steps, and verifies", async () => {
    expect((await db.emergency.findUniqueOrThrow({ where: { id: emergency.id } })).state).toBe(
      "RESOLVED",
    );
    const b = await buildEmergencyBundle({ actor: ari, number: emergency.number });
    const { root, files } = await readDossier(b.bytes);
    const r = await verifyEmergencyBundle(files, {
      root,
      anchor: { portalKey: (await portalPublicKey()).publicArmored },
    });
    expect(r.problems).toEqual([]);
    const rec = r.record!;
    expect(rec.diffs.map((d) => [d.source, d.sha256, d.deployed, d.patch?.revision])).toEqual([
      ["option1-patch", sha256Hex(sampleDiff("one")), false, 1],
      ["option1-patch", sha256Hex(sampleDiff("two")), true, 2],
    ]);
    expect(rec.moves.at(-1)).toMatchObject({ kind: "gate", gate: "deploy", statement: null });
    expect(rec.deployments).toHaveLength(1);
    const stepStatements = rec.deployments[0].steps.filter((s) => s.statement);
    expect(stepStatements.length).toBeGreaterThan(0);
    expect(
      r.manifest!.statements.filter((s) => /-gate-/.test(s.file)).map((s) => s.file.slice(15)),
    ).toEqual([
      "gate-review-1.txt",
      "gate-test.txt",
      "gate-review-1.txt",
      "gate-test.txt",
      "gate-test.txt",
      "gate-review-2.txt",
    ]);

    // The deployment's signed steps are checked as statements of this bundle.
    const steps = r.manifest!.statements.filter((s) => s.kind === "step");
    expect(steps.length).toBe(stepStatements.length);
    expect(
      r.checks.filter((c) => c.check === "statement" && c.ok && /^step by /.test(c.message)),
    ).toHaveLength(steps.length);

    // The deploy gate tampered with: it names a deployment record the bundle does not hold.
    const { EMERGENCY_RECORD } = await import("../../dossier/emergency-bundle");
    const edited = new Map(files);
    const json = JSON.parse(new TextDecoder().decode(files.get(EMERGENCY_RECORD)!));
    json.moves.at(-1).data.deploymentId = "cm0nosuchdeployment0000000";
    edited.set(EMERGENCY_RECORD, new TextEncoder().encode(JSON.stringify(json, null, 2) + "\n"));
    const bad = await verifyEmergencyBundle(edited, { root, anchor: null });
    expect(bad.problems.map((p) => p.message)).toContainEqual(
      `move ${json.moves.length} (deploy gate) names deployment record cm0nosuchdeployment0000000, which is not in the bundle`,
    );

    const view = await disputeEvidence({ actor: ari, emergencyId: emergency.id });
    expect(view.diffs).toEqual([
      expect.objectContaining({
        label: "Option 1: the patch revision the critical team deployed",
        sha256: sha256Hex(sampleDiff("two")),
      }),
    ]);
    expect(view.signers.map((s) => s.role)).toContain("Tester");
  });
});
