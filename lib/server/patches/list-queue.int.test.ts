import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../../../test/reset";
import { makeSigner, signoff } from "../../../test/signers";
import { sampleDiff } from "../../../test/diffs";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { addSystem } from "../systems/add-system";
import { submitPatch } from "./submit-patch";
import { listQueue } from "./list-queue";
import { addRevision } from "./add-revision";

const ids = (items: { id: string }[]) => items.map((i) => i.id);

describe("listQueue (waiting for me)", () => {
  beforeEach(async () => {
    await resetDatabase();
    await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
  });

  it("asks each person only for what they may sign now, and critical admins only after the request", async () => {
    const [dev, authorAssessor, a1, a2, a3, t1, t2, ca] = await Promise.all([
      makeSigner(["DEVELOPER"]),
      makeSigner(["ASSESSOR"]),
      makeSigner(["ASSESSOR"]),
      makeSigner(["ASSESSOR"]),
      makeSigner(["ASSESSOR"]),
      makeSigner(["TESTER"]),
      // A tester who is a critical admin too: never asked to deploy what they tested (X3).
      makeSigner(["TESTER", "CRITICAL_ADMIN"]),
      makeSigner(["CRITICAL_ADMIN"]),
    ]);
    const fields = {
      system: "webdb",
      summary: "s",
      bugId: "1",
      bugSummary: "b",
      diff: sampleDiff(),
    };
    const p = await submitPatch({ actor: dev, title: "By the developer", ...fields });
    const own = await submitPatch({ actor: authorAssessor, title: "By an assessor", ...fields });

    expect(ids((await listQueue({ actor: dev })).submit)).toEqual([p.id]);
    expect((await listQueue({ actor: a1 })).review).toEqual([]);

    await signoff(dev, p.id, "submit");
    await signoff(authorAssessor, own.id, "submit");
    expect(ids((await listQueue({ actor: a1 })).review)).toEqual([p.id, own.id]);
    expect(ids((await listQueue({ actor: authorAssessor })).review)).toEqual([p.id]);
    expect(ids((await listQueue({ actor: t1 })).test)).toEqual([p.id, own.id]);

    await signoff(a1, p.id, "review", "approve");
    expect(ids((await listQueue({ actor: a1 })).review)).toEqual([own.id]);
    await signoff(a2, p.id, "review", "approve");
    expect(ids((await listQueue({ actor: a3 })).review)).toEqual([own.id]);
    await signoff(t1, p.id, "test", "pass");
    await signoff(t2, p.id, "test", "pass");
    expect(ids((await listQueue({ actor: t1 })).test)).toEqual([own.id]);

    expect((await listQueue({ actor: ca })).deploy).toEqual([]);
    expect(ids((await listQueue({ actor: a3 })).request)).toEqual([p.id]);
    expect((await listQueue({ actor: dev })).request).toEqual([]);
    await signoff(a3, p.id, "request");
    expect(ids((await listQueue({ actor: ca })).deploy)).toEqual([p.id]);
    expect((await listQueue({ actor: a3 })).deploy).toEqual([]);
    expect((await listQueue({ actor: t2 })).deploy).toEqual([]);
  });

  it("never asks someone who uploaded an earlier revision to review a later one", async () => {
    const [dev, a1, a2] = await Promise.all([
      makeSigner(["DEVELOPER"]),
      makeSigner(["ASSESSOR"]),
      makeSigner(["ASSESSOR"]),
    ]);
    const p = await submitPatch({
      actor: dev,
      system: "webdb",
      title: "Revised",
      summary: "s",
      bugId: "1",
      bugSummary: "b",
      diff: sampleDiff(),
    });
    await addRevision({ actor: a1, patchId: p.id, diff: sampleDiff("by a1") });
    await addRevision({ actor: dev, patchId: p.id, diff: sampleDiff("by dev") });
    await signoff(dev, p.id, "submit");
    expect((await listQueue({ actor: a1 })).review).toEqual([]);
    expect(ids((await listQueue({ actor: a2 })).review)).toEqual([p.id]);
  });

  it("lists a patch waiting for review however many older drafts of other people there are", async () => {
    const [dev, other, assessor] = await Promise.all([
      makeSigner(["DEVELOPER"]),
      makeSigner(["DEVELOPER"]),
      makeSigner(["ASSESSOR"]),
    ]);
    const fields = {
      system: "webdb",
      summary: "s",
      bugId: "1",
      bugSummary: "b",
      diff: sampleDiff(),
    };
    // More abandoned drafts than the queue reads at once (200), all older than the patch.
    for (let i = 0; i < 201; i++)
      await submitPatch({ actor: other, title: `Abandoned draft ${i}`, ...fields });
    const p = await submitPatch({ actor: dev, title: "Waiting for review", ...fields });
    await signoff(dev, p.id, "submit");

    const queue = await listQueue({ actor: assessor });
    expect(ids(queue.review)).toEqual([p.id]);
    expect(queue.submit).toEqual([]);
    // The drafts' author still sees each of their own, oldest first, up to the page's limit.
    expect((await listQueue({ actor: other })).submit).toHaveLength(200);
  });

  it("refuses the operator's system actor: the queue is a person's", async () => {
    await expect(listQueue({ actor: CLI_BOOTSTRAP })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
