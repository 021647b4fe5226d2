import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { cleanLine } from "../../domain/input-hygiene";
import { expiresInDays } from "../../domain/certificate-expiry";
import {
  modeName,
  modeValue,
  readModeName,
  UPDATE_MODES,
  type TUpdateModeName,
} from "../../domain/update-mode";
import { isReservedEnvName } from "../../env-reserved";
import { opensslDate } from "../../update/certificate";
import { isUniqueViolation } from "../prisma-errors";
import { appendAuditEvent } from "../audit/append-event";

// U1, U3–U5: the installations of a vendor-updated product (the seed's OS4X),
// how each applies updates, and the vendor certificates and keys it trusts.

/** Like a server's slug: it names the installation's folder in the drop directory too. */
export const ZInstallationSlug = cleanLine()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "Slug: lower-case letters, digits and dashes");

const ZMode = z
  .string()
  .meta({
    description: `${UPDATE_MODES.join(", ")}; any case, \`_\` or a space for \`-\` (SEMI_AUTOMATIC).`,
    examples: [...UPDATE_MODES],
  })
  .transform((s, ctx) => {
    const name = readModeName(s);
    if (name) return name;
    ctx.addIssue({ code: "custom", message: `Mode: one of ${UPDATE_MODES.join(", ")}` });
    return z.NEVER;
  });

export const ZCreateInstallation = z.object({
  slug: ZInstallationSlug,
  name: cleanLine().trim().min(1).max(200),
  product: cleanLine().trim().min(1).max(100),
  mode: ZMode,
  enterprise: z.boolean().default(false),
});
export type TCreateInstallation = z.input<typeof ZCreateInstallation>;

// The post-update event (U5): a webhook URL and the NAME of the environment
// variable holding its HMAC secret (never the secret), checked as a tracker's is.
const ZPostUpdateUrl = cleanLine()
  .trim()
  .max(2000)
  .url("Post-update URL: an http(s) URL")
  .refine((s) => /^https?:\/\//i.test(s), "Post-update URL: http(s) only");
const ZSecretEnv = z
  .string()
  .trim()
  .regex(
    /^[A-Z_][A-Z0-9_]{0,100}$/,
    "Secret: the NAME of an environment variable (A-Z, 0-9, _), not the secret",
  )
  .refine(
    (name) => !isReservedEnvName(name),
    "Secret: that variable is one of the portal's own settings; name one that holds only the post-update event's secret",
  );
/** An empty string (or null) clears the setting. */
const clearable = <T extends z.ZodType<string>>(schema: T) =>
  z.union([z.literal("").transform(() => null), z.null(), schema]).optional();

export const ZUpdateInstallation = z.object({
  slug: ZInstallationSlug,
  name: cleanLine().trim().min(1).max(200).optional(),
  mode: ZMode.optional(),
  enterprise: z.boolean().optional(),
  postUpdateUrl: clearable(ZPostUpdateUrl).meta({
    description: "An http(s) URL; empty or null clears it.",
  }),
  postUpdateSecretEnv: clearable(ZSecretEnv).meta({
    description:
      "The NAME of the environment variable holding the HMAC secret; empty or null clears it.",
  }),
});
export type TUpdateInstallation = z.input<typeof ZUpdateInstallation>;

const ACTIVE = { where: { removedAt: null }, orderBy: { addedAt: "asc" as const } };
const WITH_TRUST = { certificates: ACTIVE, pgpKeys: ACTIVE };

type TCertificateRow = {
  subject: string;
  issuer: string;
  sha256: string;
  notBefore: Date;
  notAfter: Date;
  selfSigned: boolean;
  addedAt: Date;
};
type TPgpKeyRow = { fingerprint: string; userIds: string[]; expiresAt: Date | null; addedAt: Date };
type TInstallationRow = {
  slug: string;
  name: string;
  product: string;
  mode: "AUTOMATIC" | "SEMI_AUTOMATIC" | "MANUAL";
  enterprise: boolean;
  postUpdateUrl: string | null;
  postUpdateSecretEnv: string | null;
  certificates: TCertificateRow[];
  pgpKeys: TPgpKeyRow[];
};

/** A trusted certificate as the API shows it; notAfterText as `openssl x509 -noout -enddate` prints it. */
export function presentCertificate(c: TCertificateRow, now = new Date()) {
  return {
    subject: c.subject,
    issuer: c.issuer,
    sha256: c.sha256,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    notAfterText: opensslDate(c.notAfter),
    selfSigned: c.selfSigned,
    expiresInDays: expiresInDays(c.notAfter, now),
    addedAt: c.addedAt.toISOString(),
  };
}
export type TCertificateEntry = ReturnType<typeof presentCertificate>;

export function presentPgpKey(k: TPgpKeyRow) {
  return {
    fingerprint: k.fingerprint,
    userIds: k.userIds,
    expiresAt: k.expiresAt ? k.expiresAt.toISOString() : null,
    addedAt: k.addedAt.toISOString(),
  };
}
export type TPgpKeyEntry = ReturnType<typeof presentPgpKey>;

export function presentInstallation(i: TInstallationRow, now = new Date()) {
  return {
    slug: i.slug,
    name: i.name,
    product: i.product,
    mode: modeName(i.mode) as TUpdateModeName,
    enterprise: i.enterprise,
    postUpdateUrl: i.postUpdateUrl,
    postUpdateSecretEnv: i.postUpdateSecretEnv,
    certificates: i.certificates.map((c) => presentCertificate(c, now)),
    pgpKeys: i.pgpKeys.map(presentPgpKey),
  };
}
export type TInstallationView = ReturnType<typeof presentInstallation>;

/** The installation by slug, or NOT_FOUND. */
export async function findInstallation(tx: Tx | typeof db, slug: string) {
  const installation = await tx.installation.findUnique({ where: { slug } });
  if (!installation) throw new AppError("NOT_FOUND", `No installation ${slug}.`);
  return installation;
}

/** The installation row locked for this transaction (trust changes take turns). */
export async function lockInstallation(tx: Tx, slug: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Installation" WHERE "slug" = ${slug} FOR UPDATE`;
  if (rows.length === 0) throw new AppError("NOT_FOUND", `No installation ${slug}.`);
  return tx.installation.findUniqueOrThrow({ where: { id: rows[0].id } });
}

export async function createInstallation({
  actor,
  ...input
}: { actor: TActor } & TCreateInstallation) {
  authorize(actor, "package:manage");
  const data = ZCreateInstallation.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      const installation = await tx.installation.create({
        data: { ...data, mode: modeValue(data.mode) },
        include: WITH_TRUST,
      });
      await appendAuditEvent(tx, {
        actor,
        action: "installation.created",
        subjectType: "installation",
        subjectId: installation.id,
        payload: {
          slug: data.slug,
          name: data.name,
          product: data.product,
          mode: modeValue(data.mode),
          enterprise: data.enterprise,
        },
      });
      return presentInstallation(installation);
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("CONFLICT", `An installation with the slug ${data.slug} already exists.`);
    throw e;
  }
}

/** Every installation by slug, with its active trusted certificates and keys. */
export async function listInstallations({ actor }: { actor: TActor }) {
  authorize(actor, "package:read");
  const rows = await db.installation.findMany({ orderBy: { slug: "asc" }, include: WITH_TRUST });
  const now = new Date();
  return rows.map((i) => presentInstallation(i, now));
}

export async function getInstallation({ actor, slug }: { actor: TActor; slug: string }) {
  authorize(actor, "package:read");
  const parsed = ZInstallationSlug.safeParse(slug);
  if (!parsed.success) throw new AppError("NOT_FOUND", `No installation ${slug}.`);
  const row = await db.installation.findUnique({
    where: { slug: parsed.data },
    include: WITH_TRUST,
  });
  if (!row) throw new AppError("NOT_FOUND", `No installation ${parsed.data}.`);
  return presentInstallation(row);
}

/** Sets what is given and leaves the rest; an empty post-update URL or secret name clears it. */
export async function updateInstallation({
  actor,
  ...input
}: { actor: TActor } & TUpdateInstallation) {
  authorize(actor, "package:manage");
  const { slug, ...fields } = ZUpdateInstallation.parse(input);
  const given = Object.entries(fields).filter(([, v]) => v !== undefined);
  if (given.length === 0) throw new AppError("VALIDATION", "Nothing to set.");
  const changes = Object.fromEntries(given) as Record<string, string | boolean | null>;
  return db.$transaction(async (tx) => {
    const installation = await lockInstallation(tx, slug);
    await tx.installation.update({
      where: { id: installation.id },
      data: {
        ...(fields.name !== undefined ? { name: fields.name } : {}),
        ...(fields.mode !== undefined ? { mode: modeValue(fields.mode) } : {}),
        ...(fields.enterprise !== undefined ? { enterprise: fields.enterprise } : {}),
        ...(fields.postUpdateUrl !== undefined ? { postUpdateUrl: fields.postUpdateUrl } : {}),
        ...(fields.postUpdateSecretEnv !== undefined
          ? { postUpdateSecretEnv: fields.postUpdateSecretEnv }
          : {}),
      },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "installation.updated",
      subjectType: "installation",
      subjectId: installation.id,
      payload: { slug, changes },
    });
    return presentInstallation(
      await tx.installation.findUniqueOrThrow({
        where: { id: installation.id },
        include: WITH_TRUST,
      }),
    );
  });
}
