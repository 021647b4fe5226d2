-- AlterTable
ALTER TABLE "TargetSystem" ADD COLUMN     "listArchiveUrl" TEXT;

-- CreateTable
CREATE TABLE "DeploymentNotification" (
    "id" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "part" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "signerId" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeploymentNotification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DeploymentNotification_recordId_key" ON "DeploymentNotification"("recordId");

-- AddForeignKey
ALTER TABLE "DeploymentNotification" ADD CONSTRAINT "DeploymentNotification_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "DeploymentRecord"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentNotification" ADD CONSTRAINT "DeploymentNotification_signerId_fkey" FOREIGN KEY ("signerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

