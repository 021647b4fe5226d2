import Link from "next/link";
import { pageActor } from "@/lib/auth/require-actor";
import { listQueue, type TQueueItem, type TQueueReason } from "@/lib/server/patches/list-queue";
import { StateChip } from "../patches/_components/state-chip";

export const metadata = { title: "Waiting for me" };

const SECTIONS: { reason: TQueueReason; title: string; hint: string }[] = [
  {
    reason: "submit",
    title: "Sign your submission",
    hint: "Drafts you uploaded: the review gate opens once you sign.",
  },
  {
    reason: "rework",
    title: "Needs a new revision",
    hint: "Your patches that were blocked or failed to apply.",
  },
  {
    reason: "review",
    title: "Review",
    hint: "Patches that still need approving reviews, which you have not voted on and did not write.",
  },
  {
    reason: "test",
    title: "Test",
    hint: "Patches that still need passed tests, which you have not voted on and did not write.",
  },
  {
    reason: "request",
    title: "Sign the request",
    hint: "Both gates met: an assessor other than the author signs the request to the critical admins.",
  },
  { reason: "deploy", title: "Deploy", hint: "Requested patches, for the critical admins." },
];

function Row({ p }: { p: TQueueItem }) {
  return (
    <li className="queue-item">
      <div className="queue-main">
        <Link href={`/patches/${p.id}`} className="patch-title">
          {p.title}
        </Link>
        <span className="small muted">
          #{p.number} · {p.system} · r{p.revision} · by {p.author}
        </span>
      </div>
      <div className="queue-side">
        <span className="small muted gate-mini">
          reviews {p.reviews.have}/{p.reviews.need} · tests {p.tests.have}/{p.tests.need}
        </span>
        <StateChip state={p.state} />
      </div>
    </li>
  );
}

export default async function QueuePage() {
  const actor = await pageActor("patch:read");
  const queue = await listQueue({ actor });
  const sections = SECTIONS.filter((s) => queue[s.reason].length > 0);
  const total = sections.reduce((n, s) => n + queue[s.reason].length, 0);
  return (
    <>
      <div className="page-head">
        <h1>Waiting for me</h1>
        <p>
          {total === 0
            ? "Nothing needs you right now."
            : `${total} patch${total === 1 ? "" : "es"} need${total === 1 ? "s" : ""} you.`}
        </p>
      </div>
      {sections.map((s) => (
        <section key={s.reason} className="panel queue-section" data-testid={`queue-${s.reason}`}>
          <div className="panel-head">
            <h2>
              {s.title} <span className="count">{queue[s.reason].length}</span>
            </h2>
            <span className="small muted">{s.hint}</span>
          </div>
          <ul className="queue-list">
            {queue[s.reason].map((p) => (
              <Row key={p.id} p={p} />
            ))}
          </ul>
        </section>
      ))}
      {sections.length === 0 && (
        <section className="panel empty-queue">
          <p className="muted">
            Your roles have nothing waiting. <Link href="/patches">See all patches</Link>.
          </p>
        </section>
      )}
    </>
  );
}
