"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "../auth/require-actor";
import { createUpdate } from "../server/release-updates/create-update";
import { editUpdate } from "../server/release-updates/edit-update";
import { saveTemplate } from "../server/release-updates/templates";
import {
  issueUpdateStatement,
  recordUpdateSignoff,
} from "../server/release-updates/update-statements";
import { recordSeriesEvidence } from "../server/release-updates/evidence";
import { requestHttpsCheck } from "../server/release-updates/https-check";
import { allowHttpsHost, removeHttpsHost } from "../server/release-updates/allowed-hosts";
import { formFields, toActionResult, type TActionResult } from "./action-result";

// Public endpoints of the release-update pages (issue 14): each asks who is
// calling, reads its form, and leaves the parsing and the authorization
// (update:submit, update:review, update:verify, update:manage) to the use-case.

const updatePath = (id: string) => `/updates/${encodeURIComponent(id)}`;

/** "a, b c" → ["a", "b", "c"]: packages and series are typed as a list. */
const list = (s: string | undefined) =>
  (s ?? "")
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export async function createUpdateAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const f = formFields(form);
  let id = "";
  const result = await toActionResult(async () => {
    const created = await createUpdate({
      actor: await requireActor(),
      template: f.template ?? "",
      system: f.system ?? "",
      title: f.title ?? "",
      packages: list(f.packages),
      version: f.version ?? "",
      series: list(f.series),
      bugId: f.bugId ?? "",
    });
    id = created.id;
    return undefined;
  });
  if (result?.ok) redirect(updatePath(id));
  return result;
}

/** The editor: one textarea per section (`section:<title>`) and the record's facts. */
export async function editUpdateAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const f = formFields(form);
  const sections = Object.fromEntries(
    Object.entries(f)
      .filter(([k]) => k.startsWith("section:"))
      .map(([k, v]) => [k.slice("section:".length), v]),
  );
  return toActionResult(async () => {
    await editUpdate({
      actor: await requireActor(),
      id: f.id ?? "",
      sections,
      title: f.title,
      packages: f.packages === undefined ? undefined : list(f.packages),
      version: f.version,
      series: f.series === undefined ? undefined : list(f.series),
      bugId: f.bugId,
    });
    revalidatePath(updatePath(f.id ?? ""));
    return undefined;
  }, "Saved.");
}

export type TUpdateStatementInput = {
  id: string;
  kind: string;
  verdict?: string;
  series?: string;
  change?: number;
  versions?: Record<string, string>;
  comment?: string;
  keyFingerprint?: string;
};

/** An update statement (submit, review, major-ack, verify), to be signed in the browser. */
export async function issueUpdateStatementAction(
  input: TUpdateStatementInput,
): Promise<TActionResult<{ statement: string; keyFingerprint: string }>> {
  return toActionResult(async () => {
    const actor = await requireActor();
    const { statement, keyFingerprint } = await issueUpdateStatement({ actor, ...input });
    return { statement, keyFingerprint };
  });
}

export async function recordUpdateSignoffAction(input: {
  id: string;
  statement: string;
  signature: string;
}): Promise<TActionResult> {
  return toActionResult(async () => {
    const actor = await requireActor();
    // No revalidatePath: the signing dialog refreshes the page when it is closed.
    await recordUpdateSignoff({ actor, ...input });
    return undefined;
  }, "Signed and recorded.");
}

export async function recordAcmeEvidenceAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const f = formFields(form);
  return toActionResult(async () => {
    await recordSeriesEvidence({
      actor: await requireActor(),
      id: f.id ?? "",
      series: f.series ?? "",
      kind: "acme",
      domain: f.domain ?? "",
      acmeServer: f.acmeServer ?? "",
      certificate: f.certificate ?? "",
    });
    revalidatePath(updatePath(f.id ?? ""));
    return undefined;
  }, "ACME certificate recorded.");
}

export async function recordSmokeEvidenceAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const f = formFields(form);
  return toActionResult(async () => {
    await recordSeriesEvidence({
      actor: await requireActor(),
      id: f.id ?? "",
      series: f.series ?? "",
      kind: "smoke",
      url: f.url ?? "",
      result: (f.result ?? "") as "pass" | "fail",
    });
    revalidatePath(updatePath(f.id ?? ""));
    return undefined;
  }, "dep8 result recorded.");
}

export async function requestHttpsCheckAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const f = formFields(form);
  return toActionResult(async () => {
    await requestHttpsCheck({
      actor: await requireActor(),
      id: f.id ?? "",
      series: f.series ?? "",
      server: (f.server || undefined) as "apache" | "nginx" | undefined,
      url: f.url ?? "",
      caBundle: f.caBundle?.trim() ? f.caBundle : undefined,
    });
    revalidatePath(updatePath(f.id ?? ""));
    return undefined;
  }, "HTTPS check queued: the worker connects shortly; reload to see its result.");
}

export async function saveTemplateAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const f = formFields(form);
  return toActionResult(async () => {
    await saveTemplate({
      actor: await requireActor(),
      slug: f.slug ?? "",
      name: f.name ?? "",
      body: f.body ?? "",
    });
    revalidatePath("/admin/update-templates");
    return undefined;
  }, "Template saved.");
}

export async function allowHttpsHostAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const f = formFields(form);
  return toActionResult(async () => {
    await allowHttpsHost({ actor: await requireActor(), host: f.host ?? "", note: f.note ?? "" });
    revalidatePath("/admin/https-hosts");
    return undefined;
  }, "Host allowed.");
}

export async function removeHttpsHostAction(
  _prev: TActionResult,
  form: FormData,
): Promise<TActionResult> {
  const f = formFields(form);
  return toActionResult(async () => {
    await removeHttpsHost({ actor: await requireActor(), host: f.host ?? "" });
    revalidatePath("/admin/https-hosts");
    return undefined;
  }, "Host removed.");
}
