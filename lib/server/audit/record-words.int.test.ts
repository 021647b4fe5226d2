import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { addProcessSystems, makeTeam, requestedPatch, type TTeam } from "../../../test/process";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { writeOutbox } from "../../jobs/outbox";
import { setSystem } from "../systems/set-system";
import { openDeployment } from "../deployments/open-deployment";
import { declareEmergency } from "../emergencies/declare-emergency";
import { listAuditEvents } from "./list-events";
import { subjectLinks } from "./subject-links";
import { describeOutbox } from "../outbox/describe-outbox";
import { listOutbox } from "../outbox/list-outbox";
import { makeSigner } from "../../../test/signers";

// #15 item 9: the audit log and the outbox read as words, from the real records.

describe("records read as words (audit subjects, outbox rows)", () => {
  let t: TTeam;
  beforeEach(async () => {
    await resetDatabase();
    await addProcessSystems();
    t = await makeTeam();
    await setSystem({
      actor: CLI_BOOTSTRAP,
      slug: "webdb",
      systemLogAddress: "cacert-systemlog@lists.example.org",
      assessmentTeamAddress: "assessors@example.org",
      trackerKind: "MANTIS",
      trackerUrl: "https://bugs.example.org/api/rest",
      trackerSecretEnv: "WEBDB_MANTIS_TOKEN",
      mirror: {
        url: "sftp://mirror@test1.example.org:2222/srv/tarballs",
        hostKeySha256: `SHA256:${"A".repeat(43)}`,
        privateKeyPath: "/etc/patchgate/mirror_key",
      },
    });
  });

  it("links each audit subject to its page and names the patch and the recipients of each outbox row", async () => {
    const p = await requestedPatch(t);
    const patch = await db.patch.findUniqueOrThrow({ where: { id: p.id } });
    const deployment = await openDeployment({ actor: t.ca1, patchId: p.id });
    const carl = await makeSigner(["CRITICAL_ADMIN"]);
    const e = await declareEmergency({
      actor: carl,
      system: "webdb",
      title: "Login bypass on webdb",
      description: "d",
      severity: "critical",
    });

    const admin = await makeSigner(["ADMIN"]);
    const { events } = await listAuditEvents({ actor: admin });
    const links = await subjectLinks(events);
    expect(links.get(`patch:${p.id}`)).toEqual({
      label: `Patch #${patch.number} ${patch.title}`,
      href: `/patches/${p.id}`,
    });
    expect(links.get(`deployment:${deployment.id}`)).toEqual({
      label: `Deployment of patch #${patch.number}`,
      href: `/patches/${p.id}/deployment`,
    });
    expect(links.get(`emergency:${e.id}`)).toEqual({
      label: `Emergency #${e.number} Login bypass on webdb`,
      href: `/emergencies/${e.number}`,
    });
    const system = await db.targetSystem.findUniqueOrThrow({ where: { slug: "webdb" } });
    expect(links.get(`system:${system.id}`)).toMatchObject({ href: "/admin/systems" });

    await db.$transaction(async (tx) => {
      for (const kind of [
        "deployment.notify",
        "deployment.bug-update",
        "deployment.reply",
        "deployment.mirror",
      ] as const)
        await writeOutbox(tx, kind, { deploymentId: deployment.id }, `${kind}:test`);
    });
    const { rows } = await listOutbox({ actor: admin });
    const words = await describeOutbox(rows);
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, words.get(r.id)!]));
    const about = {
      label: `Patch #${patch.number} ${patch.title}`,
      href: `/patches/${p.id}/deployment`,
    };
    expect(byKind["deployment.notify"]).toEqual({
      about,
      to: "the system-log list cacert-systemlog@lists.example.org",
    });
    expect(byKind["deployment.reply"].to).toBe("the assessment team assessors@example.org");
    expect(byKind["deployment.bug-update"].to).toBe(
      "the bug tracker (MantisBT at bugs.example.org)",
    );
    expect(byKind["deployment.mirror"].to).toBe("the test server test1.example.org (SFTP)");
    expect(byKind["emergency.declared"]).toEqual({
      about: {
        label: `Emergency #${e.number} Login bypass on webdb`,
        href: `/emergencies/${e.number}`,
      },
      to: "all teams (developers, assessors, testers, critical admins and access engineers)",
    });
  });
});
