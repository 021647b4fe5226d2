-- An outbox row that waits (for another effect, or for its peer) says so, instead of an error.
ALTER TABLE "Outbox" ADD COLUMN "waitingFor" TEXT;
ALTER TABLE "Outbox" ADD COLUMN "waitingSince" TIMESTAMP(3);
