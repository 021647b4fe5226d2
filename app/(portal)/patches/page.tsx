import Link from "next/link";
import { pageActor } from "@/lib/auth/require-actor";
import { can } from "@/lib/domain/permissions";
import { listSystems } from "@/lib/server/systems/list-systems";
import { listPatches, ZListPatches } from "@/lib/server/patches/list-patches";
import { formatDateTimeNoZone } from "@/lib/format";
import { StateChip, stateLabel } from "./_components/state-chip";

export const metadata = { title: "Patches" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
const STATES = ZListPatches.shape.state.unwrap().options;

export default async function PatchesPage({ searchParams }: { searchParams: Search }) {
  const actor = await pageActor("patch:read");
  const sp = await searchParams;
  const state = STATES.find((s) => s === one(sp.state));
  // A hand-edited or stale cursor shows the newest page with a note, not a 500.
  const before = ZListPatches.shape.before.safeParse(one(sp.before));
  const system = ZListPatches.shape.system.safeParse(one(sp.system));
  const filter = {
    state,
    system: system.success ? system.data : undefined,
    before: before.success ? before.data : undefined,
  };
  const [{ patches, nextBefore }, systems] = await Promise.all([
    listPatches({ actor, ...filter }),
    listSystems({ actor }),
  ]);
  const query = (extra: Record<string, string | undefined>) =>
    new URLSearchParams(
      Object.entries({ state: filter.state, system: filter.system, ...extra }).filter(
        ([, v]) => v,
      ) as [string, string][],
    ).toString();

  return (
    <>
      <div className="page-head head-row">
        <div>
          <h1>Patches</h1>
          <p>Every patch for every critical system, newest first.</p>
        </div>
        {can(actor.roles, "patch:submit") && (
          <Link href="/patches/new" className="button">
            New patch
          </Link>
        )}
      </div>
      <form className="filters panel" method="get">
        <label>
          State
          <select name="state" defaultValue={filter.state ?? ""}>
            <option value="">any</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {stateLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          System
          <select name="system" defaultValue={filter.system ?? ""}>
            <option value="">any</option>
            {systems.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="secondary">
          Filter
        </button>
        {(filter.state || filter.system) && (
          <Link href="/patches" className="small">
            clear
          </Link>
        )}
      </form>
      {!before.success && (
        <div className="notice warn" role="alert">
          The page link was not valid (before must be a patch number); showing the newest patches.
        </div>
      )}
      <section className="panel">
        <table className="list patch-list">
          <thead>
            <tr>
              <th>#</th>
              <th>Patch</th>
              <th>System</th>
              <th>State</th>
              <th>Rev</th>
              <th>Author</th>
              <th>Updated (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {patches.map((p) => (
              <tr key={p.id}>
                <td className="mono muted">{p.number}</td>
                <td>
                  <Link href={`/patches/${p.id}`} className="patch-title">
                    {p.title}
                  </Link>
                  <div className="small muted">bug {p.bugId}</div>
                </td>
                <td>
                  <span className="mono small">{p.system}</span>
                </td>
                <td>
                  <StateChip state={p.state} />
                  {p.steps && (
                    <div className="small muted" data-testid="list-steps">
                      {p.steps.done} of {p.steps.total} steps done
                    </div>
                  )}
                </td>
                <td className="mono small">r{p.revision}</td>
                <td className="small">{p.author}</td>
                <td className="small muted">{formatDateTimeNoZone(p.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {patches.length === 0 && <p className="muted empty">No patches match.</p>}
        {(nextBefore || filter.before) && (
          <div className="pager">
            {filter.before && <Link href={`/patches?${query({})}`}>← Newest</Link>}
            {nextBefore && (
              <Link href={`/patches?${query({ before: String(nextBefore) })}`}>
                Older patches →
              </Link>
            )}
          </div>
        )}
      </section>
    </>
  );
}
