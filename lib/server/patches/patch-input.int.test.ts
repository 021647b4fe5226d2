import { beforeEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { resetDatabase } from "../../../test/reset";
import { makePerson } from "../../../test/factories";
import { sampleDiff } from "../../../test/diffs";
import type { TPersonActor } from "../../auth/actor";
import { openDeployment } from "../deployments/open-deployment";
import { addRevision } from "./add-revision";
import { getPatch, getPatchDiff } from "./get-patch";

// Use-cases parse their input with zod like every other edge: a caller that
// passes the wrong type gets a validation error, not a database query.
describe("patch use-cases parse { patchId, revision }", () => {
  let dev: TPersonActor;
  let admin: TPersonActor;
  beforeEach(async () => {
    await resetDatabase();
    dev = await makePerson(["DEVELOPER"]);
    admin = await makePerson(["CRITICAL_ADMIN"]);
  });

  const bad = [{ patchId: "" }, { patchId: 42 }, { patchId: undefined }] as unknown as {
    patchId: string;
  }[];

  it.each(bad)("getPatch refuses %o", async (input) => {
    await expect(getPatch({ actor: dev, ...input })).rejects.toBeInstanceOf(ZodError);
  });

  it.each([
    ...bad,
    { patchId: "p", revision: 0 },
    { patchId: "p", revision: 1.5 },
    { patchId: "p", revision: "2" },
  ] as unknown as { patchId: string }[])("getPatchDiff refuses %o", async (input) => {
    await expect(getPatchDiff({ actor: dev, ...input })).rejects.toBeInstanceOf(ZodError);
  });

  it.each(bad)("addRevision refuses %o", async (input) => {
    await expect(
      addRevision({ actor: dev, ...input, diff: sampleDiff("x") }),
    ).rejects.toBeInstanceOf(ZodError);
  });

  it("addRevision refuses a diff that is not bytes", async () => {
    await expect(
      addRevision({ actor: dev, patchId: "p", diff: "--- a/x" as unknown as Uint8Array }),
    ).rejects.toBeInstanceOf(ZodError);
  });

  it.each(bad)("openDeployment refuses %o", async (input) => {
    await expect(openDeployment({ actor: admin, ...input })).rejects.toBeInstanceOf(ZodError);
  });

  it("a well-formed id that names no patch is still NOT_FOUND", async () => {
    await expect(getPatch({ actor: dev, patchId: "nosuchpatch" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      getPatchDiff({ actor: dev, patchId: "nosuchpatch", revision: 1 }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
