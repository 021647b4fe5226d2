import { env } from "@/lib/env";
import { lastChanged } from "@/lib/domain/public-emergency";
import { publicEmergencyLog, type TPublicEmergency } from "@/lib/server/emergencies/public-log";
import { escapeXml as esc } from "@/lib/xml";

export const dynamic = "force-dynamic";

/** What an entry says: an emergency in progress only its one line (E7). */
function entryText(e: TPublicEmergency): { title: string; text: string; author: string } {
  if (e.inProgress)
    return { title: `Emergency #${e.number}: ${e.summary}`, text: e.summary, author: "Patchgate" };
  const handled = e.option ? `handled by option ${e.option}` : "closed: not an emergency";
  const text = [
    `Declared ${e.declaredAt} by ${e.declaredBy} on ${e.system}; severity ${e.severity}; ${handled}; ${e.outcome}.`,
    ...e.closingReasons.map(
      (c) => `Closing signed by ${c.by}, ${c.at}${c.reason ? `: ${c.reason}` : ""}`,
    ),
    ...e.decisions.map((d) => `${d.what} — ${d.by}, ${d.at}${d.reason ? `: ${d.reason}` : ""}`),
    ...e.disputes.map(
      (d) =>
        `Dispute #${d.number}: ${d.ruling ? `ruled ${d.ruling.verdict} by ${d.ruling.by}: ${d.ruling.reasoning}` : "waiting for arbitration"}`,
    ),
  ].join("\n");
  const suffix = e.option ? `option ${e.option}` : "closed: not an emergency";
  return { title: `Emergency #${e.number}: ${e.title} (${suffix})`, text, author: e.declaredBy };
}

/**
 * E7: the public emergency log as an Atom feed. Each entry links to its own
 * entry on the page (`/emergencies#emergency-<number>`); its id stays the same
 * from declaration to end, so a reader sees the end as an update of the entry.
 */
export async function GET() {
  const log = await publicEmergencyLog();
  const base = env().PUBLIC_URL.replace(/\/$/, "");
  const entries = log
    .map((e) => {
      const { title, text, author } = entryText(e);
      return `  <entry>
    <id>${esc(`${base}/emergencies#${e.number}`)}</id>
    <title>${esc(title)}</title>
    <updated>${e.updated}</updated>
    <published>${e.declaredAt}</published>
    <author><name>${esc(author)}</name></author>
    <link rel="alternate" type="text/html" href="${esc(`${base}/emergencies#emergency-${e.number}`)}"/>
    <content type="text">${esc(text)}</content>
  </entry>`;
    })
    .join("\n");
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${esc(`${base}/emergencies`)}</id>
  <title>Patchgate emergency log</title>
  <updated>${lastChanged(log.map((e) => e.updated))}</updated>
  <link rel="self" href="${esc(`${base}/emergencies/atom.xml`)}"/>
  <link href="${esc(`${base}/emergencies`)}"/>
${entries}
</feed>
`;
  return new Response(xml, {
    headers: {
      "content-type": "application/atom+xml; charset=utf-8",
      "cache-control": "public, max-age=60",
    },
  });
}
