import { pageActor } from "@/lib/auth/require-actor";
import { formatDateTime } from "@/lib/format";
import { listTemplates } from "@/lib/server/release-updates/templates";
import { saveTemplateAction } from "@/lib/actions/release-updates";
import { ActionForm } from "@/app/_components/action-form";
import styles from "../../updates/_components/release-updates.module.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "Update templates" };

type TTemplate = { slug: string; name: string; body: string; updatedAt?: string | Date };

function TemplateFields({ t }: { t?: TTemplate }) {
  return (
    <>
      <div className={styles.factFields}>
        <label>
          Slug
          <input
            name="slug"
            defaultValue={t?.slug}
            readOnly={!!t}
            required
            maxLength={64}
            pattern="[a-z0-9][a-z0-9-]*"
          />
        </label>
        <label>
          Name
          <input name="name" defaultValue={t?.name} required maxLength={200} />
        </label>
      </div>
      <label>
        <span>
          Markdown (sections start at a <code>[Heading]</code> or <code>## Heading</code> line;{" "}
          <code>TODO</code> marks what a record must fill)
        </span>
        <textarea name="body" defaultValue={t?.body} required rows={t ? 16 : 8} />
      </label>
    </>
  );
}

export default async function UpdateTemplatesPage() {
  const actor = await pageActor("update:manage");
  const templates = (await listTemplates({ actor })) as TTemplate[];
  return (
    <>
      <div className="page-head">
        <h1>Update templates</h1>
        <p>
          A release update is written from one of these. A change applies to records created
          afterwards; every save is in the audit log.
        </p>
      </div>
      {templates.map((t) => (
        <section className="panel" key={t.slug} data-testid={`template-${t.slug}`}>
          <div className="panel-head">
            <h2 className={styles.wrap}>
              {t.name} <span className="mono muted small">{t.slug}</span>
            </h2>
            {t.updatedAt && (
              <span className="small muted">saved {formatDateTime(new Date(t.updatedAt))}</span>
            )}
          </div>
          <ActionForm
            action={saveTemplateAction}
            submit="Save the template"
            className={styles.editor}
          >
            <TemplateFields t={t} />
          </ActionForm>
        </section>
      ))}
      <section className="panel" aria-labelledby="add-head">
        <h2 id="add-head">Add a template</h2>
        <ActionForm action={saveTemplateAction} submit="Add the template" className={styles.editor}>
          <TemplateFields />
        </ActionForm>
      </section>
    </>
  );
}
