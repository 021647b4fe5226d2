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

-- At least two reviews and two tests (the seed: "at least two"). A trigger, not a CHECK constraint:
-- Prisma's schema engine crashes ("unreachable") introspecting a CHECK, which breaks `migrate diff`.
-- Rows as they are stay; every insert, and every update of the policy, is checked.
CREATE FUNCTION target_system_policy_min_two() RETURNS trigger AS $$
BEGIN
  IF NEW."reviewsRequired" < 2 OR NEW."testsRequired" < 2 THEN
    RAISE EXCEPTION 'a system requires at least 2 reviews and 2 tests'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER "TargetSystem_policy_min_two"
  BEFORE INSERT OR UPDATE OF "reviewsRequired", "testsRequired" ON "TargetSystem"
  FOR EACH ROW EXECUTE FUNCTION target_system_policy_min_two();
