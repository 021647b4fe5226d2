-- CreateEnum
CREATE TYPE "UpdateMode" AS ENUM ('AUTOMATIC', 'SEMI_AUTOMATIC', 'MANUAL');

-- CreateEnum
CREATE TYPE "PackageChannel" AS ENUM ('BROWSER', 'API', 'INBOX');

-- CreateEnum
CREATE TYPE "PackageState" AS ENUM ('VERIFIED', 'QUARANTINED');

-- CreateEnum
CREATE TYPE "PackageUpdateState" AS ENUM ('AWAITING_APPLY', 'IN_PROGRESS', 'COMPLETED');

-- The placeholder tables of update packages were never used: rebuilt.
DROP TABLE "TrustedCertificate";
DROP TABLE "UpdatePackage";

-- CreateTable
CREATE TABLE "TrustedCertificate" (
    "id" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "notAfter" TIMESTAMP(3) NOT NULL,
    "selfSigned" BOOLEAN NOT NULL,
    "der" BYTEA NOT NULL,
    "addedById" TEXT,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedById" TEXT,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "TrustedCertificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpdatePackage" (
    "id" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "channel" "PackageChannel" NOT NULL,
    "fileName" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "signature" BYTEA,
    "bytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "state" "PackageState" NOT NULL,
    "reason" TEXT,
    "content" BYTEA,
    "contentSha256" TEXT,
    "signerSubject" TEXT,
    "signerIssuer" TEXT,
    "signerNotAfter" TIMESTAMP(3),
    "uploadedById" TEXT,
    "inboxKey" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "verifiedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UpdatePackage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Installation" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "product" TEXT NOT NULL,
    "mode" "UpdateMode" NOT NULL,
    "enterprise" BOOLEAN NOT NULL DEFAULT false,
    "postUpdateUrl" TEXT,
    "postUpdateSecretEnv" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Installation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VendorPgpKey" (
    "id" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "userIds" TEXT[],
    "armored" TEXT NOT NULL,
    "addedById" TEXT,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedById" TEXT,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "VendorPgpKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertificateExpiryNotice" (
    "id" TEXT NOT NULL,
    "certificateId" TEXT NOT NULL,
    "mark" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CertificateExpiryNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PackageVerdict" (
    "id" TEXT NOT NULL,
    "packageId" TEXT NOT NULL,
    "state" "PackageState" NOT NULL,
    "reason" TEXT,
    "certificateSha256s" TEXT[],
    "pgpFingerprints" TEXT[],
    "byId" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PackageVerdict_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PackageUpdate" (
    "id" TEXT NOT NULL,
    "packageId" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "mode" "UpdateMode" NOT NULL,
    "state" "PackageUpdateState" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "applyStatementId" TEXT,
    "appliedById" TEXT,
    "completedAt" TIMESTAMP(3),
    "postUpdateStatus" INTEGER,
    "postUpdateAnswer" TEXT,
    "postUpdateAt" TIMESTAMP(3),

    CONSTRAINT "PackageUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PackageUpdateStep" (
    "id" TEXT NOT NULL,
    "updateId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "statementId" TEXT NOT NULL,
    "tickedById" TEXT NOT NULL,
    "tickedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PackageUpdateStep_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Installation_slug_key" ON "Installation"("slug");

-- CreateIndex
CREATE INDEX "VendorPgpKey_installationId_removedAt_idx" ON "VendorPgpKey"("installationId", "removedAt");

-- CreateIndex
CREATE UNIQUE INDEX "CertificateExpiryNotice_certificateId_mark_key" ON "CertificateExpiryNotice"("certificateId", "mark");

-- CreateIndex
CREATE INDEX "PackageVerdict_packageId_at_idx" ON "PackageVerdict"("packageId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "PackageUpdate_packageId_key" ON "PackageUpdate"("packageId");

-- CreateIndex
CREATE UNIQUE INDEX "PackageUpdate_applyStatementId_key" ON "PackageUpdate"("applyStatementId");

-- CreateIndex
CREATE UNIQUE INDEX "PackageUpdateStep_statementId_key" ON "PackageUpdateStep"("statementId");

-- CreateIndex
CREATE UNIQUE INDEX "PackageUpdateStep_updateId_number_key" ON "PackageUpdateStep"("updateId", "number");

-- CreateIndex
CREATE INDEX "TrustedCertificate_installationId_removedAt_idx" ON "TrustedCertificate"("installationId", "removedAt");

-- CreateIndex
CREATE UNIQUE INDEX "UpdatePackage_inboxKey_key" ON "UpdatePackage"("inboxKey");

-- CreateIndex
CREATE INDEX "UpdatePackage_installationId_receivedAt_idx" ON "UpdatePackage"("installationId", "receivedAt");

-- AddForeignKey
ALTER TABLE "TrustedCertificate" ADD CONSTRAINT "TrustedCertificate_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "Installation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VendorPgpKey" ADD CONSTRAINT "VendorPgpKey_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "Installation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateExpiryNotice" ADD CONSTRAINT "CertificateExpiryNotice_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "TrustedCertificate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpdatePackage" ADD CONSTRAINT "UpdatePackage_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "Installation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PackageVerdict" ADD CONSTRAINT "PackageVerdict_packageId_fkey" FOREIGN KEY ("packageId") REFERENCES "UpdatePackage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PackageUpdate" ADD CONSTRAINT "PackageUpdate_packageId_fkey" FOREIGN KEY ("packageId") REFERENCES "UpdatePackage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PackageUpdate" ADD CONSTRAINT "PackageUpdate_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "Installation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PackageUpdate" ADD CONSTRAINT "PackageUpdate_applyStatementId_fkey" FOREIGN KEY ("applyStatementId") REFERENCES "SignedStatement"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PackageUpdateStep" ADD CONSTRAINT "PackageUpdateStep_updateId_fkey" FOREIGN KEY ("updateId") REFERENCES "PackageUpdate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PackageUpdateStep" ADD CONSTRAINT "PackageUpdateStep_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SignedStatement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

