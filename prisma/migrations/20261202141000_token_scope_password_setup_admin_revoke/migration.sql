-- Existing tokens keep what they could do: the SIGN scope (the column default), no expiry.
-- CreateEnum
CREATE TYPE "TokenScope" AS ENUM ('READ', 'SIGN');

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "expiresAt" TIMESTAMP(3),
ADD COLUMN     "scope" "TokenScope" NOT NULL DEFAULT 'SIGN';

-- AlterTable
ALTER TABLE "RoleGrant" ADD COLUMN     "revokeRequestReason" TEXT,
ADD COLUMN     "revokeRequestedAt" TIMESTAMP(3),
ADD COLUMN     "revokeRequestedById" TEXT;

-- CreateTable
CREATE TABLE "PasswordSetup" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "PasswordSetup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PasswordSetup_tokenHash_key" ON "PasswordSetup"("tokenHash");

-- CreateIndex
CREATE INDEX "PasswordSetup_userId_idx" ON "PasswordSetup"("userId");

-- AddForeignKey
ALTER TABLE "RoleGrant" ADD CONSTRAINT "RoleGrant_revokeRequestedById_fkey" FOREIGN KEY ("revokeRequestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PasswordSetup" ADD CONSTRAINT "PasswordSetup_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

