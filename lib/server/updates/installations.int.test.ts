import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { resetDatabase } from "../../../test/reset";
import { makePerson } from "../../../test/factories";
import { makeCa, pemToDer, vendorPgpKey } from "../../../test/update-corpus";
import {
  createInstallation,
  getInstallation,
  listInstallations,
  updateInstallation,
} from "./installations";
import { removeCertificate, trustCertificate, trustCertificateWithOutcome } from "./certificates";
import { removePgpKey, trustPgpKey, trustPgpKeyWithOutcome } from "./pgp-keys";
import { expectShape } from "../../../test/api-shape";
import { ZInstallation, ZTrustedCertificate, ZVendorPgpKey } from "../../api/openapi-updates";

const DAY = 86_400_000;
let dir: string;
let vendorCa: ReturnType<typeof makeCa>;
let soonCa: ReturnType<typeof makeCa>;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "patchgate-installations-"));
  const now = Date.now();
  vendorCa = makeCa({
    dir,
    name: "vendor",
    subject: "CN=c-works software update CA, O=c-works",
    notBefore: new Date(now - 400 * DAY),
    notAfter: new Date(Date.UTC(2032, 5, 15, 18, 18, 53)),
  });
  soonCa = makeCa({
    dir,
    name: "soon",
    subject: "CN=c-works update CA 2024, O=c-works",
    notBefore: new Date(now - 400 * DAY),
    notAfter: new Date(now + 20 * DAY + 3_600_000),
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(resetDatabase);

const os4x = {
  slug: "os4x-prod",
  name: "OS4X production",
  product: "OS4X",
  mode: "manual",
  enterprise: true,
} as const;

describe("installations", () => {
  it("creates one, refuses a taken slug with 409, and lists it", async () => {
    const created = await createInstallation({ actor: CLI_BOOTSTRAP, ...os4x });
    expect(created).toEqual({
      ...os4x,
      postUpdateUrl: null,
      postUpdateSecretEnv: null,
      certificates: [],
      pgpKeys: [],
    });
    await expect(
      createInstallation({ actor: CLI_BOOTSTRAP, ...os4x, name: "again" }),
    ).rejects.toMatchObject({ code: "CONFLICT", status: 409 });
    expect((await listInstallations({ actor: CLI_BOOTSTRAP })).map((i) => i.slug)).toEqual([
      "os4x-prod",
    ]);
    const events = await db.auditEvent.findMany({ where: { action: "installation.created" } });
    expect(events).toHaveLength(1);
  });

  it("reads every spelling of a mode and refuses others, naming the field", async () => {
    const i = await createInstallation({
      actor: CLI_BOOTSTRAP,
      ...os4x,
      mode: "SEMI_AUTOMATIC",
    });
    expect(i.mode).toBe("semi-automatic");
    await expect(
      createInstallation({ actor: CLI_BOOTSTRAP, ...os4x, slug: "x", mode: "sometimes" }),
    ).rejects.toThrow(/Mode: one of automatic, semi-automatic, manual/);
    await expect(
      createInstallation({ actor: CLI_BOOTSTRAP, ...os4x, slug: "Not A Slug" }),
    ).rejects.toThrow(/slug/);
  });

  it("is read by package:read and changed only by package:manage", async () => {
    const arbitrator = await makePerson(["ARBITRATOR"]);
    const developer = await makePerson(["DEVELOPER"]);
    await createInstallation({ actor: CLI_BOOTSTRAP, ...os4x });
    expect((await getInstallation({ actor: arbitrator, slug: "os4x-prod" })).slug).toBe(
      "os4x-prod",
    );
    await expect(getInstallation({ actor: developer, slug: "os4x-prod" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      createInstallation({ actor: arbitrator, ...os4x, slug: "other" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getInstallation({ actor: arbitrator, slug: "nope" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("sets the post-update event by URL and secret NAME, refusing the portal's own settings", async () => {
    await createInstallation({ actor: CLI_BOOTSTRAP, ...os4x });
    const set = await updateInstallation({
      actor: CLI_BOOTSTRAP,
      slug: "os4x-prod",
      postUpdateUrl: "https://hooks.example.org/os4x",
      postUpdateSecretEnv: "OS4X_HOOK_SECRET",
      mode: "automatic",
    });
    expect(set).toMatchObject({
      postUpdateUrl: "https://hooks.example.org/os4x",
      postUpdateSecretEnv: "OS4X_HOOK_SECRET",
      mode: "automatic",
      enterprise: true,
    });
    expectShape(ZInstallation, set);
    await expect(
      updateInstallation({ actor: CLI_BOOTSTRAP, slug: "os4x-prod", postUpdateUrl: "ftp://x/y" }),
    ).rejects.toThrow(/http\(s\)/);
    await expect(
      updateInstallation({
        actor: CLI_BOOTSTRAP,
        slug: "os4x-prod",
        postUpdateSecretEnv: "DATABASE_URL",
      }),
    ).rejects.toThrow(/portal's own settings/);
    await expect(
      updateInstallation({
        actor: CLI_BOOTSTRAP,
        slug: "os4x-prod",
        postUpdateSecretEnv: "the secret itself",
      }),
    ).rejects.toThrow(/NAME of an environment variable/);
    await expect(updateInstallation({ actor: CLI_BOOTSTRAP, slug: "os4x-prod" })).rejects.toThrow(
      /Nothing to set/,
    );
    const cleared = await updateInstallation({
      actor: CLI_BOOTSTRAP,
      slug: "os4x-prod",
      postUpdateUrl: "",
    });
    expect(cleared.postUpdateUrl).toBeNull();
    const audit = await db.auditEvent.findMany({
      where: { action: "installation.updated" },
      orderBy: { seq: "asc" },
    });
    expect(audit.map((e) => e.payload)).toEqual([
      {
        slug: "os4x-prod",
        changes: {
          mode: "automatic",
          postUpdateUrl: "https://hooks.example.org/os4x",
          postUpdateSecretEnv: "OS4X_HOOK_SECRET",
        },
      },
      { slug: "os4x-prod", changes: { postUpdateUrl: null } },
    ]);
  });
});

describe("trusted certificates", () => {
  it("answers the entry openssl would describe, including notAfterText and expiresInDays", async () => {
    await createInstallation({ actor: CLI_BOOTSTRAP, ...os4x });
    const entry = await trustCertificate({
      actor: CLI_BOOTSTRAP,
      slug: "os4x-prod",
      file: new Uint8Array(readFileSync(vendorCa.certPath)),
    });
    const enddate = execFileSync("openssl", [
      "x509",
      "-in",
      vendorCa.certPath,
      "-noout",
      "-enddate",
    ])
      .toString()
      .trim();
    expect(enddate).toBe("notAfter=Jun 15 18:18:53 2032 GMT");
    const fingerprint = execFileSync("openssl", [
      "x509",
      "-in",
      vendorCa.certPath,
      "-noout",
      "-fingerprint",
      "-sha256",
    ])
      .toString()
      .trim()
      .replace(/^.*=/, "")
      .replace(/:/g, "")
      .toLowerCase();
    expect(entry).toMatchObject({
      subject: "CN=c-works software update CA, O=c-works",
      issuer: "CN=c-works software update CA, O=c-works",
      sha256: fingerprint,
      notAfter: "2032-06-15T18:18:53.000Z",
      notAfterText: "Jun 15 18:18:53 2032 GMT",
      selfSigned: true,
    });
    expect(entry.expiresInDays).toBe(
      Math.floor((Date.UTC(2032, 5, 15, 18, 18, 53) - Date.now()) / DAY),
    );

    // GET shows exactly these fields for each active certificate.
    const shown = await getInstallation({ actor: CLI_BOOTSTRAP, slug: "os4x-prod" });
    expect(Object.keys(shown).sort()).toEqual(
      [
        "slug",
        "name",
        "product",
        "mode",
        "enterprise",
        "postUpdateUrl",
        "postUpdateSecretEnv",
        "certificates",
        "pgpKeys",
      ].sort(),
    );
    expect(shown.certificates).toEqual([entry]);
    // The OpenAPI document's schemas are what GET and POST answer.
    expectShape(ZTrustedCertificate, entry);
    expectShape(ZInstallation, shown);
    expect(Object.keys(entry).sort()).toEqual(
      [
        "subject",
        "issuer",
        "sha256",
        "notBefore",
        "notAfter",
        "notAfterText",
        "selfSigned",
        "expiresInDays",
        "addedAt",
      ].sort(),
    );
  });

  it("takes PEM and DER alike; the same certificate twice is one row, answered again", async () => {
    await createInstallation({ actor: CLI_BOOTSTRAP, ...os4x });
    const first = await trustCertificateWithOutcome({
      actor: CLI_BOOTSTRAP,
      slug: "os4x-prod",
      file: new Uint8Array(readFileSync(soonCa.certPath)),
    });
    const again = await trustCertificateWithOutcome({
      actor: CLI_BOOTSTRAP,
      slug: "os4x-prod",
      file: pemToDer(soonCa.pem),
    });
    expect(first.created).toBe(true);
    expect(again).toEqual({ certificate: first.certificate, created: false });
    expect(await db.trustedCertificate.count()).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "certificate.trusted" } })).toBe(1);
    expect(first.certificate.expiresInDays).toBe(20);
  });

  it("refuses a file that is not a certificate and writes nothing", async () => {
    await createInstallation({ actor: CLI_BOOTSTRAP, ...os4x });
    await expect(
      trustCertificate({
        actor: CLI_BOOTSTRAP,
        slug: "os4x-prod",
        file: new Uint8Array(Buffer.from("not a certificate")),
      }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    expect(await db.trustedCertificate.count()).toBe(0);
  });

  it("removes one (kept with removedAt, gone from the entry) and may trust it again", async () => {
    await createInstallation({ actor: CLI_BOOTSTRAP, ...os4x });
    const file = new Uint8Array(readFileSync(vendorCa.certPath));
    const entry = await trustCertificate({ actor: CLI_BOOTSTRAP, slug: "os4x-prod", file });
    await removeCertificate({ actor: CLI_BOOTSTRAP, slug: "os4x-prod", sha256: entry.sha256 });
    expect(
      (await getInstallation({ actor: CLI_BOOTSTRAP, slug: "os4x-prod" })).certificates,
    ).toEqual([]);
    await expect(
      removeCertificate({ actor: CLI_BOOTSTRAP, slug: "os4x-prod", sha256: entry.sha256 }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const back = await trustCertificateWithOutcome({
      actor: CLI_BOOTSTRAP,
      slug: "os4x-prod",
      file,
    });
    expect(back.created).toBe(true);
    expect(await db.trustedCertificate.count()).toBe(2);
    expect(await db.trustedCertificate.count({ where: { removedAt: null } })).toBe(1);
  });
});

describe("vendor OpenPGP keys", () => {
  it("trusts a key once, shows it, and removes it", async () => {
    await createInstallation({ actor: CLI_BOOTSTRAP, ...os4x });
    const key = await vendorPgpKey("vendor");
    const file = new Uint8Array(Buffer.from(key.publicKey));
    const first = await trustPgpKeyWithOutcome({ actor: CLI_BOOTSTRAP, slug: "os4x-prod", file });
    expect(first.created).toBe(true);
    expect(first.pgpKey).toMatchObject({
      fingerprint: key.fingerprint,
      userIds: ["c-works software update (vendor) <vendor@c-works.example>"],
      expiresAt: null,
    });
    expect(
      (await trustPgpKeyWithOutcome({ actor: CLI_BOOTSTRAP, slug: "os4x-prod", file })).created,
    ).toBe(false);
    const shown = await getInstallation({ actor: CLI_BOOTSTRAP, slug: "os4x-prod" });
    expect(shown.pgpKeys).toEqual([first.pgpKey]);
    expectShape(ZVendorPgpKey, first.pgpKey);
    expectShape(ZInstallation, shown);
    await removePgpKey({
      actor: CLI_BOOTSTRAP,
      slug: "os4x-prod",
      fingerprint: key.fingerprint.toLowerCase(),
    });
    expect((await getInstallation({ actor: CLI_BOOTSTRAP, slug: "os4x-prod" })).pgpKeys).toEqual(
      [],
    );
    await expect(
      trustPgpKey({
        actor: CLI_BOOTSTRAP,
        slug: "os4x-prod",
        file: new Uint8Array(Buffer.from(key.privateKey)),
      }),
    ).rejects.toMatchObject({ code: "KEY_REFUSED" });
  });
});
