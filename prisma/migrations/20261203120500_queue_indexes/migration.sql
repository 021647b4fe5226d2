-- The queue reads a person's own drafts and patches to rework by author and by revision
-- uploader (lib/server/patches/list-queue.ts): index lookups, not a scan of every patch
-- (docs/performance.md: 27 ms and 19 ms at 100,000 drafts without them, 0.3 ms with).
CREATE INDEX "Patch_authorId_idx" ON "Patch"("authorId");
CREATE INDEX "PatchRevision_uploadedById_idx" ON "PatchRevision"("uploadedById");
