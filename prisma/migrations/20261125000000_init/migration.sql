-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('DEVELOPER', 'ASSESSOR', 'TESTER', 'CRITICAL_ADMIN', 'ACCESS_ENGINEER', 'ARBITRATOR', 'ADMIN');

-- CreateEnum
CREATE TYPE "Procedure" AS ENUM ('WEBDB', 'SIGNING_SERVER');

-- CreateEnum
CREATE TYPE "TrackerKind" AS ENUM ('MANTIS', 'WEBHOOK');

-- CreateEnum
CREATE TYPE "PatchState" AS ENUM ('DRAFT', 'IN_REVIEW', 'IN_TEST', 'BLOCKED', 'READY', 'REQUESTED', 'DEPLOYING', 'DEPLOYED', 'REWORK', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "SignoffKind" AS ENUM ('SUBMIT', 'REVIEW', 'TEST', 'REQUEST');

-- CreateEnum
CREATE TYPE "Verdict" AS ENUM ('APPROVE', 'REJECT', 'PASS', 'FAIL', 'SUBMIT', 'REQUEST');

-- CreateEnum
CREATE TYPE "DeploymentState" AS ENUM ('OPEN', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "StepStatus" AS ENUM ('PENDING', 'DONE', 'FAILED', 'NOT_APPLICABLE');

-- CreateEnum
CREATE TYPE "StepApplicability" AS ENUM ('ALWAYS', 'NEVER', 'SITUATIONAL');

-- CreateEnum
CREATE TYPE "EmergencyState" AS ENUM ('DECLARED', 'OPTION1', 'OPTION2', 'OPTION3', 'RESOLVED', 'CLOSED');

-- CreateEnum
CREATE TYPE "Team" AS ENUM ('DEVELOPERS', 'ASSESSORS', 'TESTERS', 'CRITICAL_ADMINS', 'ACCESS_ENGINEERS');

-- CreateEnum
CREATE TYPE "DisputeState" AS ENUM ('OPEN', 'RULED');

-- CreateEnum
CREATE TYPE "ServerRole" AS ENUM ('FRONTEND', 'BACKEND');

-- CreateEnum
CREATE TYPE "OutboxState" AS ENUM ('PENDING', 'DONE', 'FAILED');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT,
    "disabledAt" TIMESTAMP(3),
    "sessionVersion" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoleGrant" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "nominatedById" TEXT,
    "nominatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "nominatedVia" TEXT NOT NULL DEFAULT 'portal',
    "approvedById" TEXT,
    "approvedAt" TIMESTAMP(3),
    "approvedVia" TEXT,
    "revokedById" TEXT,
    "revokedAt" TIMESTAMP(3),
    "revokeReason" TEXT,
    "note" TEXT,

    CONSTRAINT "RoleGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PgpKey" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "armored" TEXT NOT NULL,
    "userIds" TEXT[],
    "keyCreatedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "PgpKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatementNonce" (
    "id" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "statement" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "StatementNonce_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignedStatement" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "signerId" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "statement" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "nonceId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignedStatement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TargetSystem" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "procedure" "Procedure" NOT NULL DEFAULT 'WEBDB',
    "reviewsRequired" INTEGER NOT NULL DEFAULT 2,
    "testsRequired" INTEGER NOT NULL DEFAULT 2,
    "systemLogAddress" TEXT,
    "assessmentTeamAddress" TEXT,
    "trackerKind" "TrackerKind",
    "trackerUrl" TEXT,
    "trackerSecretEnv" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TargetSystem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MirrorTarget" (
    "id" TEXT NOT NULL,
    "systemId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "hostKeySha256" TEXT NOT NULL,
    "privateKeyPath" TEXT NOT NULL,

    CONSTRAINT "MirrorTarget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Patch" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "systemId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "bugId" TEXT NOT NULL,
    "bugSummary" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "state" "PatchState" NOT NULL DEFAULT 'DRAFT',
    "currentRevision" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "emergencyId" TEXT,

    CONSTRAINT "Patch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PatchRevision" (
    "id" TEXT NOT NULL,
    "patchId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "diff" BYTEA NOT NULL,
    "diffSha256" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "fileCount" INTEGER NOT NULL,
    "uploadedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PatchRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Signoff" (
    "id" TEXT NOT NULL,
    "patchId" TEXT NOT NULL,
    "revisionId" TEXT NOT NULL,
    "kind" "SignoffKind" NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "signerId" TEXT NOT NULL,
    "diffSha256" TEXT NOT NULL,
    "comment" TEXT,
    "statementId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Signoff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeploymentRecord" (
    "id" TEXT NOT NULL,
    "patchId" TEXT NOT NULL,
    "revisionId" TEXT NOT NULL,
    "procedure" "Procedure" NOT NULL,
    "state" "DeploymentState" NOT NULL DEFAULT 'OPEN',
    "openedById" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "DeploymentRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeploymentStep" (
    "id" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "applicability" "StepApplicability" NOT NULL DEFAULT 'ALWAYS',
    "applicable" BOOLEAN NOT NULL DEFAULT true,
    "applicabilityReason" TEXT,
    "status" "StepStatus" NOT NULL DEFAULT 'PENDING',
    "doneById" TEXT,
    "doneAt" TIMESTAMP(3),
    "evidence" JSONB,

    CONSTRAINT "DeploymentStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VisitPresence" (
    "id" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "statementId" TEXT NOT NULL,

    CONSTRAINT "VisitPresence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Emergency" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "systemId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "state" "EmergencyState" NOT NULL DEFAULT 'DECLARED',
    "declaredById" TEXT NOT NULL,
    "declaredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deadlineAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "Emergency_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmergencyResponder" (
    "id" TEXT NOT NULL,
    "emergencyId" TEXT NOT NULL,
    "team" "Team" NOT NULL,
    "userId" TEXT NOT NULL,
    "contact" TEXT NOT NULL,
    "namedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledgedAt" TIMESTAMP(3),
    "statementId" TEXT,

    CONSTRAINT "EmergencyResponder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmergencyMove" (
    "id" TEXT NOT NULL,
    "emergencyId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT,
    "actorId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "statementId" TEXT,
    "data" JSONB,

    CONSTRAINT "EmergencyMove_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RemoteSession" (
    "id" TEXT NOT NULL,
    "emergencyId" TEXT NOT NULL,
    "granteeId" TEXT NOT NULL,
    "watcherId" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3),
    "terminatedAt" TIMESTAMP(3),
    "disabledAt" TIMESTAMP(3),
    "log" TEXT,

    CONSTRAINT "RemoteSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dispute" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "emergencyId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "state" "DisputeState" NOT NULL DEFAULT 'OPEN',
    "filedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Dispute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ruling" (
    "id" TEXT NOT NULL,
    "disputeId" TEXT NOT NULL,
    "arbitratorId" TEXT NOT NULL,
    "verdict" TEXT NOT NULL,
    "reasoning" TEXT NOT NULL,
    "statementId" TEXT NOT NULL,
    "ruledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Ruling_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Server" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "role" "ServerRole" NOT NULL,
    "product" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "fileShas" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "Server_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Hotfix" (
    "id" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "registeredName" TEXT NOT NULL,
    "product" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "component" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "issueId" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "overrides" JSONB NOT NULL,
    "uploadedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Hotfix_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HotfixApplication" (
    "id" TEXT NOT NULL,
    "hotfixId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "appliedAt" TIMESTAMP(3),
    "restartedAt" TIMESTAMP(3),
    "verifiedAt" TIMESTAMP(3),
    "unappliedAt" TIMESTAMP(3),

    CONSTRAINT "HotfixApplication_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpdateRecord" (
    "id" TEXT NOT NULL,
    "packageName" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "fields" JSONB NOT NULL,
    "majorChanges" TEXT,
    "state" TEXT NOT NULL DEFAULT 'draft',
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UpdateRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SeriesVerification" (
    "id" TEXT NOT NULL,
    "updateId" TEXT NOT NULL,
    "series" TEXT NOT NULL,
    "acmeOk" BOOLEAN NOT NULL DEFAULT false,
    "httpsOk" BOOLEAN NOT NULL DEFAULT false,
    "smokeOk" BOOLEAN NOT NULL DEFAULT false,
    "versionsComment" TEXT,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "SeriesVerification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrustedCertificate" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "pem" TEXT NOT NULL,
    "notBefore" TIMESTAMP(3),
    "notAfter" TIMESTAMP(3),
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrustedCertificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpdatePackage" (
    "id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'quarantined',
    "failureReason" TEXT,
    "mode" TEXT NOT NULL DEFAULT 'manual',
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "checklist" JSONB,

    CONSTRAINT "UpdatePackage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "state" "OutboxState" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "enqueuedAt" TIMESTAMP(3),
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "Outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EffectReceipt" (
    "key" TEXT NOT NULL,
    "outboxId" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EffectReceipt_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "WorkerHeartbeat" (
    "id" TEXT NOT NULL,
    "beatAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkerHeartbeat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PortalKey" (
    "id" TEXT NOT NULL DEFAULT 'portal',
    "fingerprint" TEXT NOT NULL,
    "publicArmored" TEXT NOT NULL,
    "privateEncrypted" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PortalKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "RoleGrant_userId_idx" ON "RoleGrant"("userId");

-- CreateIndex
CREATE INDEX "RoleGrant_role_idx" ON "RoleGrant"("role");

-- CreateIndex
CREATE UNIQUE INDEX "PgpKey_fingerprint_key" ON "PgpKey"("fingerprint");

-- CreateIndex
CREATE INDEX "PgpKey_userId_idx" ON "PgpKey"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "StatementNonce_nonce_key" ON "StatementNonce"("nonce");

-- CreateIndex
CREATE INDEX "StatementNonce_userId_subjectType_subjectId_idx" ON "StatementNonce"("userId", "subjectType", "subjectId");

-- CreateIndex
CREATE UNIQUE INDEX "SignedStatement_nonceId_key" ON "SignedStatement"("nonceId");

-- CreateIndex
CREATE INDEX "SignedStatement_subjectType_subjectId_idx" ON "SignedStatement"("subjectType", "subjectId");

-- CreateIndex
CREATE UNIQUE INDEX "TargetSystem_slug_key" ON "TargetSystem"("slug");

-- CreateIndex
CREATE INDEX "MirrorTarget_systemId_idx" ON "MirrorTarget"("systemId");

-- CreateIndex
CREATE UNIQUE INDEX "Patch_number_key" ON "Patch"("number");

-- CreateIndex
CREATE INDEX "Patch_state_systemId_idx" ON "Patch"("state", "systemId");

-- CreateIndex
CREATE UNIQUE INDEX "PatchRevision_patchId_number_key" ON "PatchRevision"("patchId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Signoff_statementId_key" ON "Signoff"("statementId");

-- CreateIndex
CREATE INDEX "Signoff_patchId_idx" ON "Signoff"("patchId");

-- CreateIndex
CREATE INDEX "DeploymentRecord_patchId_idx" ON "DeploymentRecord"("patchId");

-- CreateIndex
CREATE UNIQUE INDEX "DeploymentStep_recordId_number_key" ON "DeploymentStep"("recordId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "VisitPresence_statementId_key" ON "VisitPresence"("statementId");

-- CreateIndex
CREATE UNIQUE INDEX "VisitPresence_recordId_userId_key" ON "VisitPresence"("recordId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Emergency_number_key" ON "Emergency"("number");

-- CreateIndex
CREATE UNIQUE INDEX "EmergencyResponder_statementId_key" ON "EmergencyResponder"("statementId");

-- CreateIndex
CREATE UNIQUE INDEX "EmergencyResponder_emergencyId_team_key" ON "EmergencyResponder"("emergencyId", "team");

-- CreateIndex
CREATE UNIQUE INDEX "EmergencyMove_statementId_key" ON "EmergencyMove"("statementId");

-- CreateIndex
CREATE INDEX "EmergencyMove_emergencyId_idx" ON "EmergencyMove"("emergencyId");

-- CreateIndex
CREATE UNIQUE INDEX "Dispute_number_key" ON "Dispute"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Ruling_disputeId_key" ON "Ruling"("disputeId");

-- CreateIndex
CREATE UNIQUE INDEX "Ruling_statementId_key" ON "Ruling"("statementId");

-- CreateIndex
CREATE UNIQUE INDEX "Server_hostname_key" ON "Server"("hostname");

-- CreateIndex
CREATE UNIQUE INDEX "Hotfix_fileName_key" ON "Hotfix"("fileName");

-- CreateIndex
CREATE UNIQUE INDEX "Hotfix_registeredName_key" ON "Hotfix"("registeredName");

-- CreateIndex
CREATE INDEX "HotfixApplication_hotfixId_serverId_idx" ON "HotfixApplication"("hotfixId", "serverId");

-- CreateIndex
CREATE UNIQUE INDEX "SeriesVerification_updateId_series_key" ON "SeriesVerification"("updateId", "series");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");

-- CreateIndex
CREATE INDEX "AuditEvent_action_idx" ON "AuditEvent"("action");

-- CreateIndex
CREATE INDEX "AuditEvent_subjectType_subjectId_idx" ON "AuditEvent"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_idx" ON "AuditEvent"("actorId");

-- CreateIndex
CREATE UNIQUE INDEX "Outbox_dedupeKey_key" ON "Outbox"("dedupeKey");

-- CreateIndex
CREATE INDEX "Outbox_state_createdAt_idx" ON "Outbox"("state", "createdAt");

-- AddForeignKey
ALTER TABLE "RoleGrant" ADD CONSTRAINT "RoleGrant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleGrant" ADD CONSTRAINT "RoleGrant_nominatedById_fkey" FOREIGN KEY ("nominatedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleGrant" ADD CONSTRAINT "RoleGrant_approvedById_fkey" FOREIGN KEY ("approvedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleGrant" ADD CONSTRAINT "RoleGrant_revokedById_fkey" FOREIGN KEY ("revokedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PgpKey" ADD CONSTRAINT "PgpKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatementNonce" ADD CONSTRAINT "StatementNonce_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignedStatement" ADD CONSTRAINT "SignedStatement_signerId_fkey" FOREIGN KEY ("signerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignedStatement" ADD CONSTRAINT "SignedStatement_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "PgpKey"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignedStatement" ADD CONSTRAINT "SignedStatement_nonceId_fkey" FOREIGN KEY ("nonceId") REFERENCES "StatementNonce"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MirrorTarget" ADD CONSTRAINT "MirrorTarget_systemId_fkey" FOREIGN KEY ("systemId") REFERENCES "TargetSystem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Patch" ADD CONSTRAINT "Patch_systemId_fkey" FOREIGN KEY ("systemId") REFERENCES "TargetSystem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Patch" ADD CONSTRAINT "Patch_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Patch" ADD CONSTRAINT "Patch_emergencyId_fkey" FOREIGN KEY ("emergencyId") REFERENCES "Emergency"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PatchRevision" ADD CONSTRAINT "PatchRevision_patchId_fkey" FOREIGN KEY ("patchId") REFERENCES "Patch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PatchRevision" ADD CONSTRAINT "PatchRevision_uploadedById_fkey" FOREIGN KEY ("uploadedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Signoff" ADD CONSTRAINT "Signoff_patchId_fkey" FOREIGN KEY ("patchId") REFERENCES "Patch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Signoff" ADD CONSTRAINT "Signoff_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "PatchRevision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Signoff" ADD CONSTRAINT "Signoff_signerId_fkey" FOREIGN KEY ("signerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Signoff" ADD CONSTRAINT "Signoff_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SignedStatement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentRecord" ADD CONSTRAINT "DeploymentRecord_patchId_fkey" FOREIGN KEY ("patchId") REFERENCES "Patch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentRecord" ADD CONSTRAINT "DeploymentRecord_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "PatchRevision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentRecord" ADD CONSTRAINT "DeploymentRecord_openedById_fkey" FOREIGN KEY ("openedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentStep" ADD CONSTRAINT "DeploymentStep_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "DeploymentRecord"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentStep" ADD CONSTRAINT "DeploymentStep_doneById_fkey" FOREIGN KEY ("doneById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VisitPresence" ADD CONSTRAINT "VisitPresence_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "DeploymentRecord"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VisitPresence" ADD CONSTRAINT "VisitPresence_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SignedStatement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Emergency" ADD CONSTRAINT "Emergency_systemId_fkey" FOREIGN KEY ("systemId") REFERENCES "TargetSystem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Emergency" ADD CONSTRAINT "Emergency_declaredById_fkey" FOREIGN KEY ("declaredById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmergencyResponder" ADD CONSTRAINT "EmergencyResponder_emergencyId_fkey" FOREIGN KEY ("emergencyId") REFERENCES "Emergency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmergencyResponder" ADD CONSTRAINT "EmergencyResponder_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmergencyResponder" ADD CONSTRAINT "EmergencyResponder_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SignedStatement"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmergencyMove" ADD CONSTRAINT "EmergencyMove_emergencyId_fkey" FOREIGN KEY ("emergencyId") REFERENCES "Emergency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmergencyMove" ADD CONSTRAINT "EmergencyMove_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmergencyMove" ADD CONSTRAINT "EmergencyMove_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SignedStatement"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemoteSession" ADD CONSTRAINT "RemoteSession_emergencyId_fkey" FOREIGN KEY ("emergencyId") REFERENCES "Emergency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemoteSession" ADD CONSTRAINT "RemoteSession_granteeId_fkey" FOREIGN KEY ("granteeId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemoteSession" ADD CONSTRAINT "RemoteSession_watcherId_fkey" FOREIGN KEY ("watcherId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dispute" ADD CONSTRAINT "Dispute_emergencyId_fkey" FOREIGN KEY ("emergencyId") REFERENCES "Emergency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ruling" ADD CONSTRAINT "Ruling_disputeId_fkey" FOREIGN KEY ("disputeId") REFERENCES "Dispute"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ruling" ADD CONSTRAINT "Ruling_arbitratorId_fkey" FOREIGN KEY ("arbitratorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ruling" ADD CONSTRAINT "Ruling_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SignedStatement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HotfixApplication" ADD CONSTRAINT "HotfixApplication_hotfixId_fkey" FOREIGN KEY ("hotfixId") REFERENCES "Hotfix"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HotfixApplication" ADD CONSTRAINT "HotfixApplication_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SeriesVerification" ADD CONSTRAINT "SeriesVerification_updateId_fkey" FOREIGN KEY ("updateId") REFERENCES "UpdateRecord"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- ───────── Rules the schema language cannot say ─────────

-- One live (not revoked) grant per user and role (P2).
CREATE UNIQUE INDEX "RoleGrant_live_user_role_key" ON "RoleGrant"("userId", "role") WHERE "revokedAt" IS NULL;

-- One person counts once per revision, in the review gate or the test gate (P3, X3).
CREATE UNIQUE INDEX "Signoff_one_vote_per_person_key" ON "Signoff"("revisionId", "signerId") WHERE "kind" IN ('REVIEW', 'TEST');

-- The audit log is append-only (X2).
CREATE FUNCTION audit_event_is_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();
