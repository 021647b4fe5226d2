// Who an outbox row reaches and what it is about, in words, for the outbox
// page. Pure: the page loads the facts (lib/server/outbox/describe-outbox.ts);
// the wording follows what each worker handler (workers/handlers/) does.
import { TEAM_LABEL, TEAMS, type TTeam } from "./emergency-ladder";

export type TOutboxFacts = {
  patch?: { id: string; number: number; title: string } | null;
  system?: {
    slug: string;
    systemLogAddress: string | null;
    assessmentTeamAddress: string | null;
    trackerKind: "MANTIS" | "WEBHOOK" | null;
    trackerUrl: string | null;
    mirrorUrls: string[];
  } | null;
  emergency?: { number: number; title: string } | null;
  dispute?: { number: number; emergencyNumber: number } | null;
  /** emergency.reminder: the team reminded. */
  team?: string;
  user?: { name: string; email: string } | null;
  installation?: { slug: string; name: string; postUpdateUrl: string | null } | null;
  update?: { id: string; number: number; title: string } | null;
  /** update.https-check: the address checked. */
  checkUrl?: string | null;
};

export type TOutboxWords = {
  /** What the row is about, with its page where there is one. */
  about: { label: string; href?: string } | null;
  /** Who (or what) receives it. */
  to: string;
};

const NOT_SET = "not set";

/** "sftp://mirror@test1.example.org:22/srv" → "test1.example.org" (never the user or path). */
export function hostOf(url: string | null | undefined): string {
  if (!url || !URL.canParse(url)) return url ? "an address that is not a URL" : NOT_SET;
  return new URL(url).hostname || NOT_SET;
}

const teams = (list: readonly TTeam[]) => list.map((t) => TEAM_LABEL[t].toLowerCase());
const joinWords = (words: string[]) =>
  words.length <= 1
    ? (words[0] ?? "")
    : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
const ALL_TEAMS = `all teams (${joinWords(teams(TEAMS))})`;

function about(kind: string, f: TOutboxFacts): TOutboxWords["about"] {
  if (f.patch) {
    const deployment = kind.startsWith("deployment.") || kind === "patch.apply-failed";
    return {
      label: `Patch #${f.patch.number} ${f.patch.title}`,
      href: `/patches/${f.patch.id}${deployment ? "/deployment" : ""}`,
    };
  }
  if (f.dispute)
    return {
      label: `Dispute #${f.dispute.number} (emergency #${f.dispute.emergencyNumber})`,
      href: `/disputes/${f.dispute.number}`,
    };
  if (f.emergency)
    return {
      label: `Emergency #${f.emergency.number} ${f.emergency.title}`,
      href: `/emergencies/${f.emergency.number}`,
    };
  if (f.update)
    return {
      label: `Update #${f.update.number} ${f.update.title}`,
      href: `/updates/${f.update.id}`,
    };
  if (f.installation)
    return {
      label: `Installation ${f.installation.name}`,
      href: `/installations/${f.installation.slug}`,
    };
  if (f.user) return { label: `Account of ${f.user.name}` };
  return null;
}

function recipient(kind: string, f: TOutboxFacts): string {
  const s = f.system;
  const tracker = () =>
    s?.trackerKind
      ? `the bug tracker (${s.trackerKind === "MANTIS" ? "MantisBT" : "webhook"} at ${hostOf(s.trackerUrl)})`
      : `the bug tracker (${NOT_SET} for ${s?.slug ?? "the system"})`;
  const owner = () => (f.user ? `${f.user.name} <${f.user.email}>` : "the account's owner");
  switch (kind) {
    case "deployment.notify":
      return `the system-log list ${s?.systemLogAddress ?? `(${NOT_SET})`}`;
    case "deployment.reply":
    case "patch.apply-failed":
      return `the assessment team ${s?.assessmentTeamAddress ?? `(${NOT_SET})`}`;
    case "deployment.bug-update":
    case "update.verification-comment":
      return tracker();
    case "deployment.mirror":
      return s && s.mirrorUrls.length
        ? `the test server${s.mirrorUrls.length > 1 ? "s" : ""} ${joinWords(s.mirrorUrls.map(hostOf))} (SFTP)`
        : `the test servers (${NOT_SET})`;
    case "emergency.declared":
    case "emergency.escalation":
      return ALL_TEAMS;
    case "emergency.reminder":
      return (TEAMS as readonly string[]).includes(f.team ?? "")
        ? `the ${TEAM_LABEL[f.team as TTeam].toLowerCase()}`
        : `the team ${f.team ?? "(unknown)"}`;
    case "dispute.filed":
      return "the arbitrators";
    case "dispute.ruled":
      return `${ALL_TEAMS} and the arbitrators`;
    case "user.sign-in-locked":
    case "user.password-link":
      return owner();
    case "certificate.expiry":
      return "everyone who may manage packages (signed mail)";
    case "package.post-update":
      return f.installation?.postUpdateUrl
        ? `the post-update URL at ${hostOf(f.installation.postUpdateUrl)}`
        : `the post-update URL (${NOT_SET})`;
    case "update.https-check":
      return `the HTTPS check of ${hostOf(f.checkUrl)}`;
    case "log.checkpoint":
      return "every system-log list (the signed checkpoint)";
    default:
      return "—";
  }
}

/** An outbox row in words: what it is about (patch number and title, …) and who receives it. */
export function describeOutboxRow(kind: string, facts: TOutboxFacts): TOutboxWords {
  return { about: about(kind, facts), to: recipient(kind, facts) };
}
