import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { addProcessSystems, makeTeam, PATCH_FIELDS, requestedPatch } from "../../../test/process";
import { submitPatch } from "./submit-patch";
import { tickStep } from "../../../test/steps";
import { openDeployment } from "../deployments/open-deployment";
import { addRevision } from "./add-revision";
import { sampleDiff } from "../../../test/diffs";
import { signoff } from "../../../test/signers";
import { loadPatch } from "./patch-facts";

// loadPatch reads with raw statements (decision 0013); this is what they must equal, field
// for field: Prisma's include of the same rows. A column added to one of these models and
// missed by the raw reader, or a type it returns differently (a date, an enum, JSON), fails here.
const prismaInclude = (patchId: string) =>
  db.patch.findUniqueOrThrow({
    where: { id: patchId },
    include: {
      system: true,
      revisions: {
        orderBy: { number: "asc" },
        select: {
          id: true,
          number: true,
          diffSha256: true,
          uploadedById: true,
          sizeBytes: true,
          fileCount: true,
          createdAt: true,
        },
      },
      signoffs: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      deployments: {
        orderBy: [{ openedAt: "desc" }, { id: "asc" }],
        include: { steps: { orderBy: { number: "asc" } } },
      },
    },
  });

describe("loadPatch", () => {
  beforeEach(async () => {
    await resetDatabase();
    await addProcessSystems();
  });

  it("reads exactly what Prisma's include reads: a second revision, sign-offs with comments and policy, a deployment with ticked steps and their JSON evidence", async () => {
    const t = await makeTeam();
    const p = await requestedPatch(t);
    await openDeployment({ actor: t.ca1, patchId: p.id });
    await tickStep({ actor: t.ca1, patchId: p.id, number: 1, evidence: {} });
    await tickStep({ actor: t.ca1, patchId: p.id, number: 2, evidence: {} });

    const other = await submitPatch({
      actor: t.dev,
      system: "webdb",
      ...PATCH_FIELDS,
      diff: sampleDiff(),
    });
    await signoff(t.dev, other.id, "submit");
    await signoff(t.a1, other.id, "review", "reject", "Not like this.");
    await addRevision({ actor: t.dev, patchId: other.id, diff: sampleDiff("second") });
    await signoff(t.dev, other.id, "submit");

    for (const id of [p.id, other.id]) {
      const loaded = await db.$transaction((tx) => loadPatch(tx, id));
      const { signoffs, ...rest } = loaded.patch;
      const { signoffs: expectedSignoffs, ...expectedRest } = await prismaInclude(id);
      expect(rest).toStrictEqual(expectedRest);
      // loadPatch adds each sign-off's revision number; the rows are otherwise Prisma's.
      expect(signoffs.map(({ revision: _, ...s }) => s)).toStrictEqual(expectedSignoffs);
    }
    const steps = (await db.$transaction((tx) => loadPatch(tx, p.id))).patch.deployments[0].steps;
    expect(steps.filter((s) => s.status === "DONE" && s.evidence !== null)).toHaveLength(2);
  });

  it("answers NOT_FOUND for an unknown patch", async () => {
    await expect(db.$transaction((tx) => loadPatch(tx, "no-such-patch"))).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
