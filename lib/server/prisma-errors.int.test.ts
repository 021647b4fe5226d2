import { expect, it } from "vitest";
import { db } from "../db";
import { isUniqueViolation } from "./prisma-errors";

// The raw hot paths (decision 0013) rely on recognising the index's refusal as PostgreSQL and
// the driver adapter really report it, not as the unit test's hand-made error.
it("recognises a unique index refusing a raw INSERT, as PostgreSQL reports it", async () => {
  const e = await db
    .$transaction(async (tx) => {
      await tx.$executeRaw`CREATE TEMP TABLE once (id text PRIMARY KEY) ON COMMIT DROP`;
      await tx.$queryRaw`INSERT INTO once VALUES ('a') RETURNING id`;
      await tx.$queryRaw`INSERT INTO once VALUES ('a') RETURNING id`;
    })
    .then(
      () => null,
      (x: unknown) => x,
    );
  expect(isUniqueViolation(e)).toBe(true);
});
