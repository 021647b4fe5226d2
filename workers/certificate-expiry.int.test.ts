import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { db, type Tx } from "../lib/db";
import { resetDatabase } from "../test/reset";
import { makePerson } from "../test/factories";
import { gpgHome } from "../peers/gpg";
import { splitSigned } from "../peers/mime-parts";
import { portalPublicKey } from "../lib/server/portal-key/portal-key";
import {
  queueExpiryWarnings,
  sweepCertificateExpiry,
} from "../lib/server/updates/certificate-expiry";
import { startMailRuntime, waitFor } from "../test/workers/mail-runtime";
import { opensslDate } from "../lib/update/certificate";

// U3: the admins hear by signed mail at 90, 30 and 7 days before a trusted
// certificate ends, once per mark, however often the sweep runs; a certificate
// added after a mark passed gets that mark's mail at once, and never the
// larger marks' mails.
const DAY = 86_400_000;
let peers: Awaited<ReturnType<typeof startMailRuntime>>;
let smtp: Awaited<ReturnType<typeof startMailRuntime>>["smtp"];
let runtime: Awaited<ReturnType<typeof startMailRuntime>>["runtime"];

beforeAll(async () => {
  peers = await startMailRuntime("expiry");
  ({ smtp, runtime } = peers);
});

afterAll(async () => {
  await peers?.close();
});

beforeEach(async () => {
  await resetDatabase();
  smtp.messages.length = 0;
});

async function installation() {
  return db.installation.create({
    data: {
      slug: "os4x-prod",
      name: "OS4X production",
      product: "OS4X",
      mode: "MANUAL",
      enterprise: true,
    },
  });
}

async function certificate(installationId: string, notAfter: Date) {
  const der = randomBytes(64);
  return db.trustedCertificate.create({
    data: {
      installationId,
      subject: "CN=c-works software update,O=c-works",
      issuer: "CN=c-works software update,O=c-works",
      sha256: createHash("sha256").update(der).digest("hex"),
      notBefore: new Date(notAfter.getTime() - 3650 * DAY),
      notAfter,
      selfSigned: true,
      der,
    },
  });
}

/** Every outbox row delivered (or failed): nothing more is on its way. */
async function settled() {
  await runtime.dispatchOnce();
  await waitFor(
    "every outbox row to be done",
    async () => (await db.outbox.count({ where: { state: "PENDING" } })) === 0,
  );
  expect(await db.outbox.count({ where: { state: "FAILED" } })).toBe(0);
}

async function subjects() {
  return Promise.all(smtp.messages.map(async (m) => (await simpleParser(m.raw)).subject));
}

describe("certificate expiry warnings", () => {
  it("mail the admins at 90, 30 and 7 days, each exactly once, signed with the portal key", async () => {
    const admin = await makePerson(["ADMIN"]);
    const critical = await makePerson(["CRITICAL_ADMIN"]);
    await makePerson(["ASSESSOR"]);
    const gone = await makePerson(["ADMIN"]);
    await db.user.update({ where: { id: gone.id }, data: { disabledAt: new Date() } });
    const inst = await installation();
    const t0 = new Date();
    const cert = await certificate(inst.id, new Date(t0.getTime() + 100 * DAY));

    // 100 days left: nothing due, however often the sweep runs.
    await sweepCertificateExpiry(t0);
    await sweepCertificateExpiry(new Date(t0.getTime() + 9 * DAY));
    await settled();
    expect(smtp.messages).toHaveLength(0);

    // Exactly 90 days left: the 90-day mail; the sweep repeated within the same mark sends nothing more.
    await sweepCertificateExpiry(new Date(t0.getTime() + 10 * DAY));
    await waitFor("the 90-day mail", () => smtp.messages.length === 1);
    for (const d of [10, 10.5, 30, 69.9])
      await sweepCertificateExpiry(new Date(t0.getTime() + d * DAY));
    await settled();
    expect(smtp.messages).toHaveLength(1);

    const [mail] = smtp.messages;
    expect(mail.to.sort()).toEqual([admin.email, critical.email].sort());
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toBe(
      "Patchgate: the trusted certificate of OS4X production ends in 90 days",
    );
    const text = parsed.text ?? "";
    expect(text).toContain("OS4X production (os4x-prod, OS4X)");
    expect(text).toContain("Subject:  CN=c-works software update,O=c-works");
    expect(text).toContain(`SHA-256:  ${cert.sha256}`);
    // As `openssl x509 -noout -enddate` prints it.
    expect(text).toContain(`notAfter=${opensslDate(cert.notAfter)}`);
    expect(text).toContain("Installations → OS4X production → Trusted certificates");
    expect(text).toContain("https://patchgate.example.org/installations/os4x-prod");

    const { signed, signature } = splitSigned(mail.raw);
    const g = gpgHome();
    try {
      g.gpg(["--import"], (await portalPublicKey()).publicArmored);
      writeFileSync(path.join(g.home, "m.eml"), signed, "ascii");
      writeFileSync(path.join(g.home, "m.asc"), signature);
      expect(
        g.gpg([
          "--status-fd",
          "1",
          "--verify",
          path.join(g.home, "m.asc"),
          path.join(g.home, "m.eml"),
        ]),
      ).toContain("[GNUPG:] GOODSIG");
    } finally {
      g.cleanup();
    }

    // 30 days left, then 7: one mail each.
    await sweepCertificateExpiry(new Date(t0.getTime() + 70 * DAY));
    await sweepCertificateExpiry(new Date(t0.getTime() + 71 * DAY));
    await waitFor("the 30-day mail", () => smtp.messages.length === 2);
    await sweepCertificateExpiry(new Date(t0.getTime() + 93 * DAY));
    await waitFor("the 7-day mail", () => smtp.messages.length === 3);
    for (const d of [93, 95, 99.9, 100, 120])
      await sweepCertificateExpiry(new Date(t0.getTime() + d * DAY));
    await settled();
    expect(await subjects()).toEqual([
      "Patchgate: the trusted certificate of OS4X production ends in 90 days",
      "Patchgate: the trusted certificate of OS4X production ends in 30 days",
      "Patchgate: the trusted certificate of OS4X production ends in 7 days",
    ]);
    const warned = await db.auditEvent.findMany({
      where: { action: "certificate.expiry-warned" },
      orderBy: { seq: "asc" },
    });
    expect(warned.map((e) => (e.payload as { mark: number }).mark)).toEqual([90, 30, 7]);
    expect(warned[0].payload).toMatchObject({ installation: "os4x-prod", sha256: cert.sha256 });
  });

  it("give a certificate added with 20 days left the 30-day mail at once, never the 90-day one", async () => {
    const admin = await makePerson(["ADMIN"]);
    const inst = await installation();
    const now = new Date();
    // As the trust use-case does: the new certificate's due warning in its own transaction.
    const cert = await db.$transaction(async (tx: Tx) => {
      const c = await certificate(inst.id, new Date(now.getTime() + 20 * DAY));
      await queueExpiryWarnings(tx, [c.id], now);
      return c;
    });
    await waitFor("the 30-day mail", () => smtp.messages.length === 1);
    expect(smtp.messages[0].to).toEqual([admin.email]);
    expect(await subjects()).toEqual([
      "Patchgate: the trusted certificate of OS4X production ends in 20 days",
    ]);
    expect(
      (await db.certificateExpiryNotice.findMany({ where: { certificateId: cert.id } }))
        .map((n) => n.mark)
        .sort((a, b) => a - b),
    ).toEqual([30, 90]);
    expect(await db.outbox.findMany({ select: { dedupeKey: true } })).toEqual([
      { dedupeKey: `certificate.expiry:${cert.id}:30` },
    ]);

    // The sweep finds nothing more until the 7-day mark, then that one mail.
    await sweepCertificateExpiry(now);
    await sweepCertificateExpiry(new Date(now.getTime() + 12 * DAY));
    await settled();
    expect(smtp.messages).toHaveLength(1);
    await sweepCertificateExpiry(new Date(now.getTime() + 13 * DAY));
    await sweepCertificateExpiry(new Date(now.getTime() + 14 * DAY));
    await settled();
    expect(await subjects()).toEqual([
      "Patchgate: the trusted certificate of OS4X production ends in 20 days",
      "Patchgate: the trusted certificate of OS4X production ends in 7 days",
    ]);
  });

  it("send nothing for a removed certificate", async () => {
    await makePerson(["ADMIN"]);
    const inst = await installation();
    const now = new Date();
    const cert = await certificate(inst.id, new Date(now.getTime() + 5 * DAY));
    await db.trustedCertificate.update({ where: { id: cert.id }, data: { removedAt: now } });
    await sweepCertificateExpiry(now);
    await db.$transaction((tx: Tx) => queueExpiryWarnings(tx, [cert.id], now));
    await settled();
    expect(smtp.messages).toHaveLength(0);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.certificateExpiryNotice.count()).toBe(0);
  });

  it("write one warning when sweeps run at the same time", async () => {
    await makePerson(["ADMIN"]);
    const inst = await installation();
    const now = new Date();
    await certificate(inst.id, new Date(now.getTime() + 29 * DAY));
    await Promise.all([1, 2, 3, 4].map(() => sweepCertificateExpiry(now)));
    await settled();
    expect(smtp.messages).toHaveLength(1);
    expect(await db.outbox.count()).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "certificate.expiry-warned" } })).toBe(1);
  });
});
