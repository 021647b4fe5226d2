import "server-only";
import { db } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { loadHotfix, presentHotfix } from "./hotfix-facts";

/** Every hotfix not deleted, newest first, with where it is applied. */
export async function listHotfixes({ actor }: { actor: TActor }) {
  authorize(actor, "hotfix:read");
  const rows = await db.hotfix.findMany({
    where: { deletedAt: null },
    orderBy: { uploadedAt: "desc" },
    select: { name: true },
  });
  return Promise.all(rows.map((r) => loadHotfix(db, r.name).then(presentHotfix)));
}

export async function getHotfix({ actor, name }: { actor: TActor; name: string }) {
  authorize(actor, "hotfix:read");
  return presentHotfix(await loadHotfix(db, name));
}

/** The hotfix file itself, for the CLI to apply (its SHA-256 is checked there). */
export async function hotfixFile({ actor, name }: { actor: TActor; name: string }) {
  authorize(actor, "hotfix:read");
  const h = await loadHotfix(db, name);
  const row = await db.hotfix.findUniqueOrThrow({ where: { id: h.id }, select: { content: true } });
  return { fileName: h.fileName, sha256: h.sha256, bytes: new Uint8Array(row.content) };
}
