-- The transparency log (issue #16). No backfill here: the integrator (lib/server/log/integrate.ts,
-- run by the worker every second and by any export) integrates from the stored tree size, so on
-- its first run after this migration every existing audit event becomes a leaf, in seq order.

-- CreateTable
CREATE TABLE "LogNode" (
    "level" INTEGER NOT NULL,
    "index" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "LogNode_pkey" PRIMARY KEY ("level","index")
);

-- CreateTable
CREATE TABLE "Checkpoint" (
    "treeSize" BIGINT NOT NULL,
    "rootHash" BYTEA NOT NULL,
    "note" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Checkpoint_pkey" PRIMARY KEY ("treeSize")
);

-- CreateTable
CREATE TABLE "LogKey" (
    "id" TEXT NOT NULL DEFAULT 'log',
    "publicKey" BYTEA NOT NULL,
    "privateEncrypted" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LogKey_pkey" PRIMARY KEY ("id")
);
