-- AlterTable
ALTER TABLE "PgpKey" ADD COLUMN     "revocationReason" TEXT,
ADD COLUMN     "revokedAt" TIMESTAMP(3);
