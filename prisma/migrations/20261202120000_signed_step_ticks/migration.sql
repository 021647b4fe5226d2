-- AlterTable
ALTER TABLE "DeploymentStep" ADD COLUMN     "decisionStatementId" TEXT,
ADD COLUMN     "statementId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "DeploymentStep_statementId_key" ON "DeploymentStep"("statementId");

-- CreateIndex
CREATE UNIQUE INDEX "DeploymentStep_decisionStatementId_key" ON "DeploymentStep"("decisionStatementId");

-- AddForeignKey
ALTER TABLE "DeploymentStep" ADD CONSTRAINT "DeploymentStep_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SignedStatement"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentStep" ADD CONSTRAINT "DeploymentStep_decisionStatementId_fkey" FOREIGN KEY ("decisionStatementId") REFERENCES "SignedStatement"("id") ON DELETE SET NULL ON UPDATE CASCADE;

