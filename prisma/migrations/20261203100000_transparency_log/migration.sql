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
    "origin" TEXT NOT NULL,
    "publicKey" BYTEA NOT NULL,
    "privateEncrypted" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LogKey_pkey" PRIMARY KEY ("id")
);

-- Decision 0012: a transaction's audit events are written at its very end, in one round trip:
-- the chain's lock, its head (a VOLATILE function takes a fresh snapshot for each query, so the
-- head is read after the lock is granted), and each event with its seq and hash. The hash is
-- SHA-256 of the event's canonical JSON, which the application prepares around the two values
-- only the head decides: `before || prevHash || '","seq":"' || seq || after` (RFC 8785 sorts the
-- keys, so "prevHash" and "seq" are adjacent; lib/server/audit/append-event.ts).
CREATE FUNCTION audit_append(lock_key BIGINT, events JSONB)
RETURNS TABLE (seq BIGINT, prev_hash TEXT, hash TEXT)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  head_seq BIGINT;
  head_hash TEXT;
  e JSONB;
  h TEXT;
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key);
  SELECT a.seq, a.hash INTO head_seq, head_hash FROM "AuditEvent" a ORDER BY a.seq DESC LIMIT 1;
  head_seq := coalesce(head_seq, 0);
  head_hash := coalesce(head_hash, repeat('0', 64));
  FOR e IN SELECT value FROM jsonb_array_elements(events) LOOP
    head_seq := head_seq + 1;
    h := encode(sha256(convert_to(
      (e->>'before') || head_hash || '","seq":"' || head_seq::text || (e->>'after'), 'UTF8')), 'hex');
    INSERT INTO "AuditEvent" (seq, at, "actorId", "actorLabel", action, "subjectType", "subjectId",
                              payload, "prevHash", hash)
    VALUES (head_seq, ((e->>'at')::timestamptz AT TIME ZONE 'UTC'), e->>'actorId', e->>'actorLabel',
            e->>'action', e->>'subjectType', e->>'subjectId', e->'payload', head_hash, h);
    seq := head_seq;
    prev_hash := head_hash;
    hash := h;
    head_hash := h;
    RETURN NEXT;
  END LOOP;
END
$$;
