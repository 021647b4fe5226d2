import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../../test/reset";
import { makeToken } from "../../test/factories";
import { makeSigner, signoff } from "../../test/signers";
import { startApiServer } from "../../test/api-server";
import { expectShape } from "../../test/api-shape";
import { sampleDiff } from "../../test/diffs";
import { addProcessSystems, PATCH_FIELDS } from "../../test/process";
import { submitPatch } from "../server/patches/submit-patch";
import { ZQueue } from "./queue-shape";

// Issue 18: "waiting for me" and a patch by the number people see, as the
// terminal client asks for them (the route modules Next serves, over HTTP).

let api: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  api = await startApiServer();
});
afterAll(async () => {
  await api?.close();
});
beforeEach(async () => {
  await resetDatabase();
  await addProcessSystems();
});

const get = (token: string, path: string) =>
  fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe("GET /api/v1/queue", () => {
  it("answers the caller's queue in its documented shape; without a token a 401", async () => {
    const [dev, a1] = await Promise.all([makeSigner(["DEVELOPER"]), makeSigner(["ASSESSOR"])]);
    const draft = await submitPatch({
      actor: dev,
      system: "webdb",
      ...PATCH_FIELDS,
      diff: sampleDiff(),
    });
    const p = await submitPatch({
      actor: dev,
      system: "webdb",
      ...PATCH_FIELDS,
      diff: sampleDiff(),
    });
    await signoff(dev, p.id, "submit");

    const mine = await get(await makeToken(dev), "/api/v1/queue");
    expect(mine.status).toBe(200);
    const devQueue = await mine.json();
    expectShape(ZQueue, devQueue);
    expect(devQueue.submit.map((i: { number: number }) => i.number)).toEqual([draft.number]);
    expect(devQueue.review).toEqual([]);

    const theirs = await (await get(await makeToken(a1), "/api/v1/queue")).json();
    expectShape(ZQueue, theirs);
    expect(theirs.review).toMatchObject([
      { id: p.id, number: p.number, state: "IN_REVIEW", reviews: { have: 0, need: 2 } },
    ]);

    const anonymous = await fetch(`${api.url}/api/v1/queue`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe("UNAUTHENTICATED");
  });
});

describe("GET /api/v1/patches?number=N", () => {
  it("holds that one patch or none; a number that is no number is a 400", async () => {
    const dev = await makeSigner(["DEVELOPER"]);
    const token = await makeToken(dev);
    const [first, second] = [
      await submitPatch({ actor: dev, system: "webdb", ...PATCH_FIELDS, diff: sampleDiff() }),
      await submitPatch({ actor: dev, system: "webdb", ...PATCH_FIELDS, diff: sampleDiff() }),
    ];
    const one = await (await get(token, `/api/v1/patches?number=${first.number}`)).json();
    expect(one.patches.map((x: { id: string }) => x.id)).toEqual([first.id]);
    expect(one.nextBefore).toBeNull();
    const both = await (
      await get(token, `/api/v1/patches?number=${second.number}&before=${second.number}`)
    ).json();
    expect(both.patches).toEqual([]);
    const none = await (await get(token, "/api/v1/patches?number=999999")).json();
    expect(none).toEqual({ patches: [], nextBefore: null });
    const bad = await get(token, "/api/v1/patches?number=twelve");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("VALIDATION");
  });
});
