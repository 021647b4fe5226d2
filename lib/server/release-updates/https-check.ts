import "server-only";
import { X509Certificate } from "node:crypto";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { cleanText } from "../../domain/input-hygiene";
import { readHttpsHost } from "../../domain/https-host";
import { pemCertificates } from "../../net/certificate-facts";
import { writeOutbox } from "../../jobs/outbox";
import { appendAuditEvent } from "../audit/append-event";
import { isHttpsHostAllowed } from "./allowed-hosts";
import { loadApprovedRecord, ZHttpUrl, ZRecordId, ZSeriesName } from "./verification-record";

// S3: a tester asks the portal's worker to check apache or nginx over HTTPS.
// Only https URLs to allow-listed hosts; the worker connects later (outbox).

export const HTTPS_SERVERS = ["apache", "nginx"] as const;
export type THttpsServer = (typeof HTTPS_SERVERS)[number];
export const MAX_CA_BUNDLE_BYTES = 256 * 1024;

const ZCaBundle = cleanText()
  .refine((s) => Buffer.byteLength(s, "utf8") <= MAX_CA_BUNDLE_BYTES, {
    message: `caBundle: at most ${MAX_CA_BUNDLE_BYTES / 1024} KiB of PEM`,
  })
  .transform((s, ctx) => {
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(s)) {
      ctx.addIssue({
        code: "custom",
        message: "caBundle: this holds a private key; send the CA certificates only",
      });
      return z.NEVER;
    }
    const certs = pemCertificates(s).filter((der) => {
      try {
        new X509Certificate(der);
        return true;
      } catch {
        return false;
      }
    });
    if (certs.length === 0) {
      ctx.addIssue({
        code: "custom",
        message:
          "caBundle: PEM text holding at least one certificate (-----BEGIN CERTIFICATE-----)",
      });
      return z.NEVER;
    }
    return s;
  });

export const ZRequestHttpsCheck = z.object({
  id: ZRecordId,
  series: ZSeriesName,
  url: ZHttpUrl("url").meta({ description: "https only; no user name or password." }),
  caBundle: z
    .union([z.literal("").transform(() => null), z.null(), ZCaBundle])
    .optional()
    .meta({
      description:
        "PEM text holding at least one certificate (at most 256 KiB). Absent: the system's trust store.",
    }),
  server: z.enum(HTTPS_SERVERS).optional().meta({
    description:
      "Which check this is. Absent: the first of apache, nginx without an ok check on the current revision.",
  }),
});
export type TRequestHttpsCheck = z.input<typeof ZRequestHttpsCheck>;

/** The check as the API answers it (the CA bundle is summarised, not echoed). */
export function httpsCheckView(c: {
  id: string;
  updateId: string;
  revision: number;
  series: string;
  server: string;
  url: string;
  host: string;
  port: number;
  caBundle: string | null;
  state: string;
  requestedById: string;
  createdAt: Date;
  checkedAt: Date | null;
  subject: string | null;
  sans: string[];
  issuer: string | null;
  notBefore: Date | null;
  notAfter: Date | null;
  sha256: string | null;
  hostValid: boolean | null;
  chainValid: boolean | null;
  ok: boolean | null;
  reason: string;
}) {
  return {
    id: c.id,
    updateId: c.updateId,
    revision: c.revision,
    series: c.series,
    server: c.server,
    url: c.url,
    host: c.host,
    port: c.port,
    trust: c.caBundle ? ("bundle" as const) : ("system" as const),
    state: c.state,
    requestedById: c.requestedById,
    createdAt: c.createdAt.toISOString(),
    checkedAt: c.checkedAt?.toISOString() ?? null,
    subject: c.subject,
    sans: c.sans,
    issuer: c.issuer,
    notBefore: c.notBefore?.toISOString() ?? null,
    notAfter: c.notAfter?.toISOString() ?? null,
    sha256: c.sha256,
    hostValid: c.hostValid,
    chainValid: c.chainValid,
    ok: c.ok,
    reason: c.reason,
  };
}
export type THttpsCheckView = ReturnType<typeof httpsCheckView>;

/** The url's target, refused in words unless it is an https URL without user info. */
function target(url: string): { host: string; port: number } {
  const u = new URL(url);
  if (u.protocol !== "https:") throw new AppError("VALIDATION", "only https URLs are checked");
  if (u.username || u.password)
    throw new AppError("VALIDATION", "url: no user name or password in the URL");
  const r = readHttpsHost(u.hostname);
  if ("problem" in r) throw new AppError("VALIDATION", `url: ${r.problem}`);
  return { host: r.host, port: u.port ? Number(u.port) : 443 };
}

/** The first server with no ok check on the revision yet (apache first), else apache. */
async function defaultServer(tx: Tx, updateId: string, revision: number, series: string) {
  const done = await tx.httpsCheck.findMany({
    where: { updateId, revision, series, ok: true },
    select: { server: true },
  });
  const have = new Set(done.map((d) => d.server));
  return HTTPS_SERVERS.find((s) => !have.has(s)) ?? HTTPS_SERVERS[0];
}

/**
 * Records a PENDING check on the record's current revision and queues the worker's connection,
 * with its audit event, in one transaction. A host not on the allow-list is refused before
 * anything is written or contacted.
 */
export async function requestHttpsCheck(
  input: { actor: TActor } & TRequestHttpsCheck,
): Promise<THttpsCheckView> {
  authorize(input.actor, "update:verify");
  const person = requirePerson(input.actor);
  const { id, series, url, caBundle, server } = ZRequestHttpsCheck.parse(input);
  const { host, port } = target(url);
  return db.$transaction(async (tx: Tx) => {
    const record = await loadApprovedRecord(tx, id, series);
    if (!(await isHttpsHostAllowed(tx, host)))
      throw new AppError(
        "FORBIDDEN",
        `${host} is not on the HTTPS-check allow-list; an admin adds it under Admin → HTTPS hosts.`,
        { host },
      );
    const which = server ?? (await defaultServer(tx, record.id, record.revision, series));
    const check = await tx.httpsCheck.create({
      data: {
        updateId: record.id,
        revision: record.revision,
        series,
        server: which,
        url,
        host,
        port,
        caBundle: caBundle ?? null,
        requestedById: person.id,
      },
    });
    await appendAuditEvent(tx, {
      actor: person,
      action: "update.https-check-requested",
      subjectType: "update",
      subjectId: record.id,
      payload: {
        number: record.number,
        revision: record.revision,
        series,
        server: which,
        checkId: check.id,
        url,
      },
    });
    await writeOutbox(
      tx,
      "update.https-check",
      { checkId: check.id },
      `update.https-check:${check.id}`,
    );
    return httpsCheckView(check);
  });
}

/** A series' HTTPS checks on every revision, newest first (update:read). */
export async function listHttpsChecks(input: {
  actor: TActor;
  id: string;
  series: string;
}): Promise<THttpsCheckView[]> {
  authorize(input.actor, "update:read");
  const id = ZRecordId.parse(input.id);
  const series = ZSeriesName.parse(input.series);
  const record = await db.updateRecord.findUnique({ where: { id }, select: { series: true } });
  if (!record) throw new AppError("NOT_FOUND", `There is no update record ${id}.`);
  if (!record.series.includes(series))
    throw new AppError("NOT_FOUND", `Update record ${id} does not target ${series}.`);
  const rows = await db.httpsCheck.findMany({
    where: { updateId: id, series },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return rows.map(httpsCheckView);
}
