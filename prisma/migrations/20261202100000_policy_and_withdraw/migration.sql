-- AlterTable
ALTER TABLE "Patch" ADD COLUMN     "withdrawalId" TEXT;

-- AlterTable
ALTER TABLE "Signoff" ADD COLUMN     "reviewsRequired" INTEGER,
ADD COLUMN     "testsRequired" INTEGER;

-- CreateIndex
CREATE UNIQUE INDEX "Patch_withdrawalId_key" ON "Patch"("withdrawalId");

-- AddForeignKey
ALTER TABLE "Patch" ADD CONSTRAINT "Patch_withdrawalId_fkey" FOREIGN KEY ("withdrawalId") REFERENCES "SignedStatement"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Requests signed before this migration were signed under the system's policy of today.
UPDATE "Signoff" s
SET "reviewsRequired" = t."reviewsRequired", "testsRequired" = t."testsRequired"
FROM "Patch" p JOIN "TargetSystem" t ON t.id = p."systemId"
WHERE s."patchId" = p.id AND s.kind = 'REQUEST';

-- At least two reviews and two tests (the seed: "at least two"). NOT VALID: existing rows are
-- left as they are; every insert and update from now on is checked.
ALTER TABLE "TargetSystem" ADD CONSTRAINT "TargetSystem_policy_min_two"
  CHECK ("reviewsRequired" >= 2 AND "testsRequired" >= 2) NOT VALID;
