// The update record as the pages read it: presentUpdate()'s JSON, the same
// shape GET /api/v1/updates/:id answers.
export type { TPresentedUpdate as TUpdateView } from "@/lib/server/release-updates/update-facts";
