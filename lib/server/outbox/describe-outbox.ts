import "server-only";
import { db } from "../../db";
import {
  describeOutboxRow,
  type TOutboxFacts,
  type TOutboxWords,
} from "../../domain/outbox-recipients";

type TRow = { id: string; kind: string; payload: unknown };

const ids = (rows: TRow[], key: string) => [
  ...new Set(
    rows
      .map((r) => (r.payload as Record<string, unknown> | null)?.[key])
      .filter((v): v is string => typeof v === "string"),
  ),
];
const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((x) => [x.id, x]));

const SYSTEM = {
  select: {
    slug: true,
    systemLogAddress: true,
    assessmentTeamAddress: true,
    trackerKind: true,
    trackerUrl: true,
    mirrors: { select: { url: true } },
  },
} as const;

/**
 * The outbox page's words for each row: the patch (or emergency, dispute,
 * update, account) it is about and who receives it. Payloads carry ids only;
 * this loads what they name in one query per kind of record.
 */
export async function describeOutbox(rows: TRow[]): Promise<Map<string, TOutboxWords>> {
  const [deployments, emergencies, disputes, users, setups, certs, pkgUpdates, checks, signoffs] =
    await Promise.all([
      db.deploymentRecord.findMany({
        where: { id: { in: ids(rows, "deploymentId") } },
        select: {
          id: true,
          patch: { select: { id: true, number: true, title: true, system: SYSTEM } },
        },
      }),
      db.emergency.findMany({
        where: { id: { in: ids(rows, "emergencyId") } },
        select: { id: true, number: true, title: true },
      }),
      db.dispute.findMany({
        where: { id: { in: ids(rows, "disputeId") } },
        select: { id: true, number: true, emergency: { select: { number: true } } },
      }),
      db.user.findMany({
        where: { id: { in: ids(rows, "userId") } },
        select: { id: true, name: true, email: true },
      }),
      db.passwordSetup.findMany({
        where: { id: { in: ids(rows, "setupId") } },
        select: { id: true, user: { select: { name: true, email: true } } },
      }),
      db.trustedCertificate.findMany({
        where: { id: { in: ids(rows, "certificateId") } },
        select: {
          id: true,
          installation: { select: { slug: true, name: true, postUpdateUrl: true } },
        },
      }),
      db.packageUpdate.findMany({
        where: { id: { in: ids(rows, "updateId") } },
        select: {
          id: true,
          installation: { select: { slug: true, name: true, postUpdateUrl: true } },
        },
      }),
      db.httpsCheck.findMany({
        where: { id: { in: ids(rows, "checkId") } },
        select: {
          id: true,
          url: true,
          update: { select: { id: true, number: true, title: true } },
        },
      }),
      db.updateSignoff.findMany({
        where: { id: { in: ids(rows, "signoffId") } },
        select: {
          id: true,
          update: { select: { id: true, number: true, title: true, system: SYSTEM } },
        },
      }),
    ]);
  const maps = {
    deployment: byId(deployments),
    emergency: byId(emergencies),
    dispute: byId(disputes),
    user: byId(users),
    setup: byId(setups),
    cert: byId(certs),
    pkgUpdate: byId(pkgUpdates),
    check: byId(checks),
    signoff: byId(signoffs),
  };
  const system = (s: (typeof deployments)[number]["patch"]["system"]): TOutboxFacts["system"] => ({
    ...s,
    mirrorUrls: s.mirrors.map((m) => m.url),
  });

  const out = new Map<string, TOutboxWords>();
  for (const r of rows) {
    const p = (r.payload ?? {}) as Record<string, string | undefined>;
    const facts: TOutboxFacts = {};
    const d = p.deploymentId ? maps.deployment.get(p.deploymentId) : undefined;
    if (d) {
      facts.patch = { id: d.patch.id, number: d.patch.number, title: d.patch.title };
      facts.system = system(d.patch.system);
    }
    const e = p.emergencyId ? maps.emergency.get(p.emergencyId) : undefined;
    if (e) facts.emergency = e;
    if (p.team) facts.team = p.team;
    const dispute = p.disputeId ? maps.dispute.get(p.disputeId) : undefined;
    if (dispute)
      facts.dispute = { number: dispute.number, emergencyNumber: dispute.emergency.number };
    const user = p.userId ? maps.user.get(p.userId) : undefined;
    if (user) facts.user = user;
    const setup = p.setupId ? maps.setup.get(p.setupId) : undefined;
    if (setup) facts.user = setup.user;
    const cert = p.certificateId ? maps.cert.get(p.certificateId) : undefined;
    if (cert) facts.installation = cert.installation;
    if (r.kind === "package.post-update" && p.updateId) {
      const u = maps.pkgUpdate.get(p.updateId);
      if (u) facts.installation = u.installation;
    }
    const check = p.checkId ? maps.check.get(p.checkId) : undefined;
    if (check) {
      facts.update = check.update;
      facts.checkUrl = check.url;
    }
    const signoff = p.signoffId ? maps.signoff.get(p.signoffId) : undefined;
    if (signoff) {
      const { system: s, ...update } = signoff.update;
      facts.update = update;
      facts.system = system(s);
    }
    out.set(r.id, describeOutboxRow(r.kind, facts));
  }
  return out;
}
