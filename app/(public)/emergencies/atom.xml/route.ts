import { env } from "@/lib/env";
import { publicEmergencyLog } from "@/lib/server/emergencies/public-log";
import { escapeXml as esc } from "@/lib/xml";

export const dynamic = "force-dynamic";

/** E7: the public emergency log as an Atom feed. */
export async function GET() {
  const log = await publicEmergencyLog();
  const base = env().PUBLIC_URL.replace(/\/$/, "");
  const updated =
    log
      .map((e) => [e.declaredAt, e.resolvedAt, ...e.disputes.map((d) => d.ruling?.at ?? null)])
      .flat()
      .filter(Boolean)
      .sort()
      .pop() ?? new Date(0).toISOString();
  const entries = log
    .map((e) => {
      const option = `option ${e.option}`;
      const text = [
        `Declared ${e.declaredAt} by ${e.declaredBy} on ${e.system}; severity ${e.severity}; handled by ${option}.`,
        ...e.decisions.map((d) => `${d.what} — ${d.by}, ${d.at}${d.reason ? `: ${d.reason}` : ""}`),
        ...e.disputes.map(
          (d) =>
            `Dispute #${d.number}: ${d.ruling ? `ruled ${d.ruling.verdict} by ${d.ruling.by}: ${d.ruling.reasoning}` : "waiting for arbitration"}`,
        ),
      ].join("\n");
      const last = [e.declaredAt, e.resolvedAt, ...e.disputes.map((d) => d.ruling?.at ?? null)]
        .filter(Boolean)
        .sort()
        .pop()!;
      return `  <entry>
    <id>${esc(`${base}/emergencies#${e.number}`)}</id>
    <title>${esc(`Emergency #${e.number}: ${e.title} (${option})`)}</title>
    <updated>${last}</updated>
    <published>${e.declaredAt}</published>
    <author><name>${esc(e.declaredBy)}</name></author>
    <link href="${esc(`${base}/emergencies`)}"/>
    <content type="text">${esc(text)}</content>
  </entry>`;
    })
    .join("\n");
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${esc(`${base}/emergencies`)}</id>
  <title>Patchgate emergency log</title>
  <updated>${updated}</updated>
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
