-- Update packages, intake (issue 13): a vendor key's expiry as read when it was trusted, and
-- one active row per certificate (and per vendor key) and installation. Trusting the same
-- certificate twice answers the row already there; a removed one may be trusted again.
ALTER TABLE "VendorPgpKey" ADD COLUMN "expiresAt" TIMESTAMP(3);

CREATE UNIQUE INDEX "TrustedCertificate_live_installation_sha256_key" ON "TrustedCertificate"("installationId", "sha256") WHERE "removedAt" IS NULL;

CREATE UNIQUE INDEX "VendorPgpKey_live_installation_fingerprint_key" ON "VendorPgpKey"("installationId", "fingerprint") WHERE "removedAt" IS NULL;
