// How an audit event reads on the audit log page: its subject as a link to the
// record's page (patch, emergency, dispute, …) and its payload as labelled
// fields instead of JSON. Pure: the page loads the facts the links need
// (lib/server/audit/subject-links.ts).

export type TSubjectFacts = {
  patch?: { number: number; title: string };
  emergency?: { number: number; title: string };
  dispute?: { number: number };
  /** A deployment record: its patch (the deployment page is the patch's). */
  deployment?: { patchId: string; patchNumber: number };
  update?: { number: number; title: string };
  hotfix?: { name: string };
  package?: { fileName: string };
  installation?: { slug: string; name: string };
  system?: { slug: string; name: string };
  user?: { name: string };
  server?: { name: string };
};

export type TSubjectLink = { label: string; href?: string };

/** The audit event's subject in words, linked where the portal has a page for it. */
export function subjectLink(type: string, id: string, f: TSubjectFacts): TSubjectLink {
  const short = id.length > 14 ? `${id.slice(0, 12)}…` : id;
  switch (type) {
    case "patch":
      return f.patch
        ? { label: `Patch #${f.patch.number} ${f.patch.title}`, href: `/patches/${id}` }
        : { label: `Patch ${short}`, href: `/patches/${id}` };
    case "emergency":
      return f.emergency
        ? {
            label: `Emergency #${f.emergency.number} ${f.emergency.title}`,
            href: `/emergencies/${f.emergency.number}`,
          }
        : { label: `Emergency ${short}` };
    case "dispute":
      return f.dispute
        ? { label: `Dispute #${f.dispute.number}`, href: `/disputes/${f.dispute.number}` }
        : { label: `Dispute ${short}` };
    case "deployment":
      return f.deployment
        ? {
            label: `Deployment of patch #${f.deployment.patchNumber}`,
            href: `/patches/${f.deployment.patchId}/deployment`,
          }
        : { label: `Deployment ${short}` };
    case "update":
      return f.update
        ? { label: `Update #${f.update.number} ${f.update.title}`, href: `/updates/${id}` }
        : { label: `Update ${short}`, href: `/updates/${id}` };
    case "hotfix":
      return f.hotfix
        ? {
            label: `Hotfix ${f.hotfix.name}`,
            href: `/hotfixes/${encodeURIComponent(f.hotfix.name)}`,
          }
        : { label: `Hotfix ${short}` };
    case "package":
      return f.package
        ? { label: `Package ${f.package.fileName}`, href: `/packages/${id}` }
        : { label: `Package ${short}`, href: `/packages/${id}` };
    case "installation":
      return f.installation
        ? {
            label: `Installation ${f.installation.name}`,
            href: `/installations/${encodeURIComponent(f.installation.slug)}`,
          }
        : { label: `Installation ${short}` };
    case "system":
      return f.system
        ? { label: `System ${f.system.name} (${f.system.slug})`, href: "/admin/systems" }
        : { label: `System ${short}`, href: "/admin/systems" };
    case "user":
      return { label: f.user ? `Account of ${f.user.name}` : `Account ${short}` };
    case "server":
      return { label: f.server ? `Server ${f.server.name}` : `Server ${short}`, href: "/servers" };
    case "https-host":
      return { label: `HTTPS host ${id}`, href: "/admin/https-hosts" };
    case "update-template":
      return { label: `Update template ${short}`, href: "/admin/update-templates" };
    case "outbox":
      return { label: `Outbox row ${short}`, href: "/admin/outbox" };
    case "email":
      return { label: `Address ${id}` };
    default:
      return { label: `${type} ${short}` };
  }
}

const LABELS: Record<string, string> = {
  statementId: "statement",
  fingerprint: "key fingerprint",
  sha256: "SHA-256",
  diffSha256: "diff SHA-256",
  patchId: "patch",
  userId: "account",
  emergencyId: "emergency",
  disputeId: "dispute",
  deploymentId: "deployment",
  revision: "revision",
  from: "from",
  to: "to",
  kind: "kind",
};

/** "diffSha256" → "diff SHA-256", "tracker-secret-env" → "tracker secret env". */
export function fieldLabel(key: string): string {
  if (LABELS[key]) return LABELS[key];
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[-_]+/g, " ")
    .toLowerCase()
    .replace(/\bsha ?256\b/g, "SHA-256")
    .replace(/\burl\b/g, "URL")
    .trim();
}

export type TField = { label: string; value: string; mono: boolean };

// Hashes, fingerprints and row ids: cuids, and UUIDs (the rows raw statements insert).
const looksLikeCode = (v: string) =>
  /^[0-9a-f]{16,}$/i.test(v) ||
  /^c[a-z0-9]{20,}$/.test(v) ||
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v);

function text(v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? "yes" : "no";
  // An instant as the portal writes times elsewhere: "2026-12-03 14:59:29 UTC".
  if (typeof v === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v))
    return `${v.slice(0, 19).replace("T", " ")} UTC`;
  if (typeof v === "string" || typeof v === "number" || typeof v === "bigint") return String(v);
  if (Array.isArray(v))
    return v.length === 0
      ? "none"
      : v.map((x) => (typeof x === "object" ? JSON.stringify(x) : String(x))).join(", ");
  return JSON.stringify(v);
}

/**
 * An event's payload as labelled fields, nested objects flattened ("ruling ·
 * verdict"). Hashes, fingerprints and ids are marked `mono` (the page wraps them).
 */
export function payloadFields(payload: unknown, prefix = ""): TField[] {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload))
    return payload === null || payload === undefined
      ? []
      : [{ label: prefix || "value", value: text(payload), mono: false }];
  const out: TField[] = [];
  for (const [k, v] of Object.entries(payload as Record<string, unknown>)) {
    const label = prefix ? `${prefix} · ${fieldLabel(k)}` : fieldLabel(k);
    if (v && typeof v === "object" && !Array.isArray(v)) out.push(...payloadFields(v, label));
    else {
      const value = text(v);
      out.push({ label, value, mono: typeof v === "string" && looksLikeCode(v) });
    }
  }
  return out;
}
