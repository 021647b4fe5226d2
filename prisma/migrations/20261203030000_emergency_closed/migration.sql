-- A false alarm ends: the emergency closed as not an emergency (E1, #15).
ALTER TABLE "Emergency" ADD COLUMN     "closedAt" TIMESTAMP(3);
