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
