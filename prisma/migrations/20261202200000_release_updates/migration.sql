-- Stable release updates (S1–S3). The placeholder tables UpdateRecord and
-- SeriesVerification were never written by any code: reshaped in place.
DELETE FROM "SeriesVerification";
DELETE FROM "UpdateRecord";

-- CreateEnum
CREATE TYPE "UpdateRecordState" AS ENUM ('DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "UpdateSignoffKind" AS ENUM ('REVIEW', 'MAJOR_ACK', 'VERIFY');

-- CreateEnum
CREATE TYPE "SeriesEvidenceKind" AS ENUM ('ACME', 'SMOKE');

-- CreateEnum
CREATE TYPE "HttpsCheckState" AS ENUM ('PENDING', 'CHECKED');

-- DropForeignKey
ALTER TABLE "SeriesVerification" DROP CONSTRAINT "SeriesVerification_updateId_fkey";

-- AlterTable
ALTER TABLE "UpdateRecord" DROP COLUMN "fields",
DROP COLUMN "majorChanges",
DROP COLUMN "packageName",
ADD COLUMN     "approvedAt" TIMESTAMP(3),
ADD COLUMN     "body" TEXT NOT NULL,
ADD COLUMN     "bugId" TEXT NOT NULL,
ADD COLUMN     "number" SERIAL NOT NULL,
ADD COLUMN     "packages" TEXT[],
ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "series" TEXT[],
ADD COLUMN     "submittedAt" TIMESTAMP(3),
ADD COLUMN     "systemId" TEXT NOT NULL,
ADD COLUMN     "templateId" TEXT NOT NULL,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL,
ADD COLUMN     "version" TEXT NOT NULL,
DROP COLUMN "state",
ADD COLUMN     "state" "UpdateRecordState" NOT NULL DEFAULT 'DRAFT';

-- DropTable
DROP TABLE "SeriesVerification";

-- CreateTable
CREATE TABLE "UpdateTemplate" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UpdateTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpdateRevision" (
    "id" TEXT NOT NULL,
    "updateId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "packages" TEXT[],
    "version" TEXT NOT NULL,
    "series" TEXT[],
    "bugId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "bodySha256" TEXT NOT NULL,
    "submittedById" TEXT NOT NULL,
    "statementId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UpdateRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpdateSignoff" (
    "id" TEXT NOT NULL,
    "updateId" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "kind" "UpdateSignoffKind" NOT NULL,
    "verdict" TEXT NOT NULL,
    "signerId" TEXT NOT NULL,
    "changeNumber" INTEGER,
    "change" TEXT,
    "changeSha256" TEXT,
    "series" TEXT,
    "evidence" JSONB,
    "evidenceSha256" TEXT,
    "comment" TEXT NOT NULL DEFAULT '',
    "statementId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UpdateSignoff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SeriesEvidence" (
    "id" TEXT NOT NULL,
    "updateId" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "series" TEXT NOT NULL,
    "kind" "SeriesEvidenceKind" NOT NULL,
    "facts" JSONB NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "recordedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SeriesEvidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HttpsCheck" (
    "id" TEXT NOT NULL,
    "updateId" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "series" TEXT NOT NULL,
    "server" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "caBundle" TEXT,
    "state" "HttpsCheckState" NOT NULL DEFAULT 'PENDING',
    "requestedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "checkedAt" TIMESTAMP(3),
    "subject" TEXT,
    "sans" TEXT[],
    "issuer" TEXT,
    "notBefore" TIMESTAMP(3),
    "notAfter" TIMESTAMP(3),
    "sha256" TEXT,
    "hostValid" BOOLEAN,
    "chainValid" BOOLEAN,
    "ok" BOOLEAN,
    "reason" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "HttpsCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HttpsAllowedHost" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "addedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HttpsAllowedHost_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "UpdateTemplate_slug_key" ON "UpdateTemplate"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "UpdateRevision_statementId_key" ON "UpdateRevision"("statementId");

-- CreateIndex
CREATE UNIQUE INDEX "UpdateRevision_updateId_number_key" ON "UpdateRevision"("updateId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "UpdateSignoff_statementId_key" ON "UpdateSignoff"("statementId");

-- CreateIndex
CREATE INDEX "UpdateSignoff_updateId_revision_idx" ON "UpdateSignoff"("updateId", "revision");

-- CreateIndex
CREATE INDEX "SeriesEvidence_updateId_series_kind_createdAt_idx" ON "SeriesEvidence"("updateId", "series", "kind", "createdAt");

-- CreateIndex
CREATE INDEX "HttpsCheck_updateId_series_server_createdAt_idx" ON "HttpsCheck"("updateId", "series", "server", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "HttpsAllowedHost_host_key" ON "HttpsAllowedHost"("host");

-- CreateIndex
CREATE UNIQUE INDEX "UpdateRecord_number_key" ON "UpdateRecord"("number");

-- AddForeignKey
ALTER TABLE "UpdateRecord" ADD CONSTRAINT "UpdateRecord_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "UpdateTemplate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateRecord" ADD CONSTRAINT "UpdateRecord_systemId_fkey" FOREIGN KEY ("systemId") REFERENCES "TargetSystem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateRecord" ADD CONSTRAINT "UpdateRecord_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateRevision" ADD CONSTRAINT "UpdateRevision_updateId_fkey" FOREIGN KEY ("updateId") REFERENCES "UpdateRecord"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateRevision" ADD CONSTRAINT "UpdateRevision_submittedById_fkey" FOREIGN KEY ("submittedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateRevision" ADD CONSTRAINT "UpdateRevision_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SignedStatement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateSignoff" ADD CONSTRAINT "UpdateSignoff_updateId_fkey" FOREIGN KEY ("updateId") REFERENCES "UpdateRecord"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateSignoff" ADD CONSTRAINT "UpdateSignoff_signerId_fkey" FOREIGN KEY ("signerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdateSignoff" ADD CONSTRAINT "UpdateSignoff_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SignedStatement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SeriesEvidence" ADD CONSTRAINT "SeriesEvidence_updateId_fkey" FOREIGN KEY ("updateId") REFERENCES "UpdateRecord"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SeriesEvidence" ADD CONSTRAINT "SeriesEvidence_recordedById_fkey" FOREIGN KEY ("recordedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HttpsCheck" ADD CONSTRAINT "HttpsCheck_updateId_fkey" FOREIGN KEY ("updateId") REFERENCES "UpdateRecord"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HttpsCheck" ADD CONSTRAINT "HttpsCheck_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- One review per person per revision; one acknowledgement per change per revision.
CREATE UNIQUE INDEX "UpdateSignoff_one_review" ON "UpdateSignoff"("updateId", "revision", "signerId") WHERE "kind" = 'REVIEW';
CREATE UNIQUE INDEX "UpdateSignoff_one_ack" ON "UpdateSignoff"("updateId", "revision", "changeSha256") WHERE "kind" = 'MAJOR_ACK';
