import "server-only";
import { db } from "../../db";
import { subjectLink, type TSubjectFacts, type TSubjectLink } from "../../domain/audit-display";

type TEvent = { subjectType: string; subjectId: string };

/**
 * The audit log page's subjects in words, each linked to its record's page:
 * one query per kind of record on the page (at most 50 events).
 */
export async function subjectLinks(events: TEvent[]): Promise<Map<string, TSubjectLink>> {
  const of = (type: string) => [
    ...new Set(events.filter((e) => e.subjectType === type).map((e) => e.subjectId)),
  ];
  const [
    patches,
    emergencies,
    disputes,
    deployments,
    updates,
    hotfixes,
    packages,
    installs,
    systems,
    users,
    servers,
  ] = await Promise.all([
    db.patch.findMany({
      where: { id: { in: of("patch") } },
      select: { id: true, number: true, title: true },
    }),
    db.emergency.findMany({
      where: { id: { in: of("emergency") } },
      select: { id: true, number: true, title: true },
    }),
    db.dispute.findMany({
      where: { id: { in: of("dispute") } },
      select: { id: true, number: true },
    }),
    db.deploymentRecord.findMany({
      where: { id: { in: of("deployment") } },
      select: { id: true, patchId: true, patch: { select: { number: true } } },
    }),
    db.updateRecord.findMany({
      where: { id: { in: of("update") } },
      select: { id: true, number: true, title: true },
    }),
    db.hotfix.findMany({ where: { id: { in: of("hotfix") } }, select: { id: true, name: true } }),
    db.updatePackage.findMany({
      where: { id: { in: of("package") } },
      select: { id: true, fileName: true },
    }),
    db.installation.findMany({
      where: { id: { in: of("installation") } },
      select: { id: true, slug: true, name: true },
    }),
    db.targetSystem.findMany({
      where: { id: { in: of("system") } },
      select: { id: true, slug: true, name: true },
    }),
    db.user.findMany({ where: { id: { in: of("user") } }, select: { id: true, name: true } }),
    db.server.findMany({ where: { id: { in: of("server") } }, select: { id: true, name: true } }),
  ]);
  const facts = new Map<string, TSubjectFacts>();
  const put = (type: string, id: string, f: TSubjectFacts) => facts.set(`${type}:${id}`, f);
  for (const p of patches) put("patch", p.id, { patch: p });
  for (const e of emergencies) put("emergency", e.id, { emergency: e });
  for (const d of disputes) put("dispute", d.id, { dispute: d });
  for (const d of deployments)
    put("deployment", d.id, { deployment: { patchId: d.patchId, patchNumber: d.patch.number } });
  for (const u of updates) put("update", u.id, { update: u });
  for (const h of hotfixes) put("hotfix", h.id, { hotfix: h });
  for (const p of packages) put("package", p.id, { package: p });
  for (const i of installs) put("installation", i.id, { installation: i });
  for (const s of systems) put("system", s.id, { system: s });
  for (const u of users) put("user", u.id, { user: u });
  for (const s of servers) put("server", s.id, { server: s });

  const out = new Map<string, TSubjectLink>();
  for (const e of events) {
    const key = `${e.subjectType}:${e.subjectId}`;
    if (!out.has(key)) out.set(key, subjectLink(e.subjectType, e.subjectId, facts.get(key) ?? {}));
  }
  return out;
}
