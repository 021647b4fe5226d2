import Link from "next/link";
import { pageActor } from "@/lib/auth/require-actor";
import { can } from "@/lib/domain/permissions";
import { formatDateTime } from "@/lib/format";
import { listSystems } from "@/lib/server/systems/list-systems";
import { listTemplates } from "@/lib/server/release-updates/templates";
import { listUpdates } from "@/lib/server/release-updates/update-facts";
import { createUpdateAction } from "@/lib/actions/release-updates";
import { ActionForm } from "@/app/_components/action-form";
import { TagChips, UpdateStateChip } from "./_components/tag-chips";
import styles from "./_components/release-updates.module.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "Release updates" };

export default async function UpdatesPage() {
  const actor = await pageActor("update:read");
  const submits = can(actor.roles, "update:submit");
  const updates = await listUpdates({ actor });
  const [templates, systems] = submits
    ? await Promise.all([listTemplates({ actor }), listSystems({ actor })])
    : [[], []];
  return (
    <>
      <div className="page-head">
        <h1>Release updates</h1>
        <p>
          One signed process record per update of a package family to a new upstream version:
          written from a template, submitted once no TODO remains, reviewed by the release-update
          team, and verified per series before it is tagged{" "}
          <code>verification-done-&lt;series&gt;</code>.
        </p>
        {can(actor.roles, "update:manage") && (
          <p className="small">
            Admin: <Link href="/admin/update-templates">Update templates</Link> ·{" "}
            <Link href="/admin/https-hosts">HTTPS hosts</Link>
          </p>
        )}
      </div>

      <section className="panel" aria-labelledby="list-head">
        <h2 id="list-head">Records</h2>
        {updates.length === 0 ? (
          <p className="small muted">No release update yet.</p>
        ) : (
          <div className="table-scroll">
            <table className={`list ${styles.cards}`}>
              <thead>
                <tr>
                  <th>#</th>
                  <th>Title</th>
                  <th>State</th>
                  <th>Tags</th>
                  <th>Updated</th>
                </tr>
              </thead>
              <tbody>
                {updates.map((u) => (
                  <tr key={u.id} data-testid={`update-row-${u.number}`}>
                    <td className="mono">#{u.number}</td>
                    <td className={styles.titleCell}>
                      <Link href={`/updates/${u.id}`}>{u.title}</Link>
                    </td>
                    <td>
                      <UpdateStateChip state={u.state} />
                    </td>
                    <td className={styles.tagChips}>
                      <TagChips tags={u.tags} />
                    </td>
                    <td className="small">{formatDateTime(new Date(u.updatedAt))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {submits && (
        <section className="panel" aria-labelledby="new-head">
          <h2 id="new-head">New update</h2>
          {templates.length === 0 ? (
            <p className="small muted">
              No template yet: an admin adds one under{" "}
              <Link href="/admin/update-templates">Update templates</Link>.
            </p>
          ) : (
            <ActionForm action={createUpdateAction} submit="Create the record">
              <div className={styles.factFields}>
                <label>
                  Template
                  <select name="template" required>
                    {templates.map((t) => (
                      <option key={t.slug} value={t.slug}>
                        {t.name}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Target system
                  <select name="system" required>
                    {systems.map((s) => (
                      <option key={s.slug} value={s.slug}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Title
                  <input name="title" required maxLength={200} placeholder="certbot 2.11.0 SRU" />
                </label>
                <label>
                  Packages (comma separated)
                  <input
                    name="packages"
                    required
                    placeholder="python-acme, python-certbot, python-certbot-apache, python-certbot-nginx"
                  />
                </label>
                <label>
                  Version
                  <input name="version" required maxLength={100} placeholder="2.11.0" />
                </label>
                <label>
                  Series (comma separated)
                  <input name="series" required placeholder="focal, jammy, noble" />
                </label>
                <label>
                  Bug
                  <input name="bugId" required maxLength={100} placeholder="2081234" />
                </label>
              </div>
            </ActionForm>
          )}
        </section>
      )}
    </>
  );
}
