-- Hotfixes (H1–H6): the placeholder tables reshaped (they held no rows).

-- CreateEnum
CREATE TYPE "HotfixApplicationState" AS ENUM ('APPLIED', 'VERIFIED', 'FAILED', 'UNAPPLIED');

-- DropIndex
DROP INDEX "Hotfix_fileName_key";

-- DropIndex
DROP INDEX "Hotfix_registeredName_key";

-- DropIndex
DROP INDEX "HotfixApplication_hotfixId_serverId_idx";

-- DropIndex
DROP INDEX "Server_hostname_key";

-- AlterTable
ALTER TABLE "Hotfix" DROP COLUMN "issueId",
DROP COLUMN "overrides",
DROP COLUMN "registeredName",
ADD COLUMN     "bytes" INTEGER NOT NULL,
ADD COLUMN     "deletedById" TEXT,
ADD COLUMN     "files" JSONB NOT NULL,
ADD COLUMN     "issue" TEXT NOT NULL,
ADD COLUMN     "name" TEXT NOT NULL,
ADD COLUMN     "releaseStatementId" TEXT,
ADD COLUMN     "releasedAt" TIMESTAMP(3),
ADD COLUMN     "releasedById" TEXT,
ADD COLUMN     "uploadedById" TEXT;

-- AlterTable
ALTER TABLE "HotfixApplication" DROP COLUMN "restartedAt",
ADD COLUMN     "appliedById" TEXT,
ADD COLUMN     "error" TEXT,
ADD COLUMN     "filesAfter" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "restartCommand" TEXT NOT NULL,
ADD COLUMN     "restartExit" INTEGER,
ADD COLUMN     "restartOutput" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "state" "HotfixApplicationState" NOT NULL,
ADD COLUMN     "unappliedById" TEXT,
ADD COLUMN     "unapplyRestartExit" INTEGER,
ADD COLUMN     "unapplyRestartOutput" TEXT,
ADD COLUMN     "unapplyVerifiedAt" TIMESTAMP(3),
ADD COLUMN     "unapplyVerifyStatementId" TEXT,
ADD COLUMN     "verifyStatementId" TEXT,
ALTER COLUMN "appliedAt" SET NOT NULL,
ALTER COLUMN "appliedAt" SET DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "Server" DROP COLUMN "fileShas",
DROP COLUMN "hostname",
ADD COLUMN     "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "createdById" TEXT,
ADD COLUMN     "name" TEXT NOT NULL,
ADD COLUMN     "slug" TEXT NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Hotfix_releaseStatementId_key" ON "Hotfix"("releaseStatementId");

-- CreateIndex
CREATE INDEX "Hotfix_name_idx" ON "Hotfix"("name");

-- CreateIndex
CREATE UNIQUE INDEX "HotfixApplication_verifyStatementId_key" ON "HotfixApplication"("verifyStatementId");

-- CreateIndex
CREATE UNIQUE INDEX "HotfixApplication_unapplyVerifyStatementId_key" ON "HotfixApplication"("unapplyVerifyStatementId");

-- CreateIndex
CREATE INDEX "HotfixApplication_hotfixId_serverId_appliedAt_idx" ON "HotfixApplication"("hotfixId", "serverId", "appliedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Server_slug_key" ON "Server"("slug");

-- AddForeignKey
ALTER TABLE "Hotfix" ADD CONSTRAINT "Hotfix_releaseStatementId_fkey" FOREIGN KEY ("releaseStatementId") REFERENCES "SignedStatement"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HotfixApplication" ADD CONSTRAINT "HotfixApplication_verifyStatementId_fkey" FOREIGN KEY ("verifyStatementId") REFERENCES "SignedStatement"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HotfixApplication" ADD CONSTRAINT "HotfixApplication_unapplyVerifyStatementId_fkey" FOREIGN KEY ("unapplyVerifyStatementId") REFERENCES "SignedStatement"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- A name is unique among hotfixes not deleted: a deleted one may be uploaded again (H5).
CREATE UNIQUE INDEX "Hotfix_live_name_key" ON "Hotfix"("name") WHERE "deletedAt" IS NULL;

-- At most one live (applied or verified) application of a hotfix per server.
CREATE UNIQUE INDEX "HotfixApplication_live_key" ON "HotfixApplication"("hotfixId", "serverId")
  WHERE "state" IN ('APPLIED', 'VERIFIED');
