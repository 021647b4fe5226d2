// The update record as the pages read it: presentUpdate()'s JSON (the same
// shape GET /api/v1/updates/:id answers), narrowed to what the pages show.
export type TCheckCell = { state: "ok" | "pending" | "failed" | "missing" };

export type TUpdateView = {
  id: string;
  number: number;
  title: string;
  state: "DRAFT" | "SUBMITTED" | "APPROVED" | "REJECTED";
  revision: number;
  system: { slug: string; name: string };
  template: { slug: string; name: string };
  packages: string[];
  version: string;
  series: string[];
  bugId: string;
  body: string;
  sections: {
    title: string;
    line: number;
    text: string;
    todos: { line: number; text: string }[];
  }[];
  todos: { section: string; line: number; text: string }[];
  majorChanges: {
    number: number;
    text: string;
    incompatible: boolean;
    sha256: string;
    acknowledged: null | {
      by: { id: string; name: string };
      at: string | Date;
      statementId: string;
    };
  }[];
  reviews: {
    verdict: string;
    by: { id: string; name: string };
    at: string | Date;
    comment?: string;
    revision?: number;
  }[];
  outcome: {
    state: string;
    approvals: number;
    required: number;
    unacknowledged: { number: number; text: string }[];
    waitingFor: string[];
  } | null;
  verification: {
    series: string;
    verdict: "needed" | "done" | "failed";
    tag: string | null;
    checks: {
      acme: TCheckCell & { evidence?: unknown };
      apache: TCheckCell & { check?: unknown };
      nginx: TCheckCell & { check?: unknown };
      smoke: TCheckCell & { evidence?: unknown };
    };
    verifiedBy: null | { by: { id: string; name: string }; at: string | Date; verdict: string };
  }[];
  tags: string[];
  revisions: { number: number; by?: { name: string }; at?: string | Date; bodySha256?: string }[];
  createdBy: { id: string; name: string };
  createdAt: string | Date;
  updatedAt: string | Date;
};
