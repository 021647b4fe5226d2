// The demo's OS4X installation (U1–U4): manual updates, Enterprise, trusting a
// vendor certificate that ends in about 40 days (the banner shows), one
// VERIFIED package on its manual checklist with the first three steps signed by
// a critical admin, and one QUARANTINED package signed by the vendor's newer
// certificate, which the installation does not trust yet (the seed's outdated
// certificate). The certificates and packages are made at seed time with
// openssl and go through the use-cases, so every verdict is real.
// Idempotent: an existing installation is left alone.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { db } from "../../lib/db";
import { checklistFor } from "../../lib/domain/manual-checklist";
import { createInstallation } from "../../lib/server/updates/installations";
import { trustCertificate } from "../../lib/server/updates/certificates";
import { receivePackage } from "../../lib/server/updates/receive-package";
import {
  issuePackageStatement,
  recordPackageSignoff,
} from "../../lib/server/updates/package-statements";
import { makeCa, makeSigner, signPackage } from "../../test/update-corpus";
import { demoSigner, type TDemoKeys } from "./demo-signers";

export const DEMO_INSTALLATION = "os4x-production";
const DAY = 86_400_000;

/** The vendor's two certificate generations and a package signed under each, made with openssl. */
function vendorFiles(dir: string, now: Date) {
  const t = now.getTime();
  const outdated = makeCa({
    dir,
    name: "c-works-2024",
    subject: "CN=c-works software update, O=c-works GmbH, OU=2024",
    notBefore: new Date(t - 2 * 365 * DAY),
    notAfter: new Date(t + 40 * DAY),
  });
  const oldSigner = makeSigner({
    dir,
    name: "release-2024",
    subject: "CN=c-works release signing, O=c-works GmbH, OU=2024",
    notBefore: new Date(t - 2 * 365 * DAY + DAY),
    notAfter: new Date(t + 39 * DAY),
    ca: outdated,
  });
  const current = makeCa({
    dir,
    name: "c-works-2026",
    subject: "CN=c-works software update, O=c-works GmbH, OU=2026",
    notBefore: new Date(t - 20 * DAY),
    notAfter: new Date(t + 6 * 365 * DAY),
  });
  const newSigner = makeSigner({
    dir,
    name: "release-2026",
    subject: "CN=c-works release signing, O=c-works GmbH, OU=2026",
    notBefore: new Date(t - 19 * DAY),
    notAfter: new Date(t + 3 * 365 * DAY),
    ca: current,
  });
  const verified = signPackage({
    dir,
    name: "os4x3_core_he_20261115_linux",
    content: "#!/bin/sh\n# OS4X 3 core update 2026-11-15 (demo)\necho 'updating OS4X core'\n",
    signer: oldSigner,
    outform: "DER",
  });
  const quarantined = signPackage({
    dir,
    name: "os4x3_full_pe_Linux-x86",
    content: "#!/bin/sh\n# OS4X 3 full update 2026-12-01 (demo)\necho 'updating OS4X'\n",
    signer: newSigner,
    outform: "DER",
  });
  return { outdated, verified, quarantined };
}

export async function seedDemoUpdates(keys: TDemoKeys) {
  if (await db.installation.findUnique({ where: { slug: DEMO_INSTALLATION } })) return;
  const cora = await demoSigner("cora@demo.patchgate.org", keys);
  const actor = cora.actor;
  const dir = mkdtempSync(path.join(tmpdir(), "patchgate-demo-updates-"));
  try {
    const v = vendorFiles(dir, new Date());
    await createInstallation({
      actor,
      slug: DEMO_INSTALLATION,
      name: "OS4X production",
      product: "OS4X",
      mode: "manual",
      enterprise: true,
    });
    await trustCertificate({
      actor,
      slug: DEMO_INSTALLATION,
      file: new Uint8Array(readFileSync(v.outdated.certPath)),
    });

    const ok = await receivePackage({
      actor,
      slug: DEMO_INSTALLATION,
      channel: "BROWSER",
      fileName: path.basename(v.verified.path),
      data: new Uint8Array(v.verified.bytes),
    });
    if (ok.state !== "VERIFIED") throw new Error(`demo package not verified: ${ok.reason}`);
    const evidence: Record<string, Record<string, unknown>> = {
      backup: { note: "tar czf /backup/os4x-20261201.tgz /opt/os4x /etc/os4x.conf" },
      "database-schema": { note: "os4x_dbupdate: schema 3.41 -> 3.42, no errors" },
      binaries: { licenceKept: true, note: "bin/ swapped; licence.key copied over" },
    };
    for (const step of checklistFor(true).slice(0, 3)) {
      const { statement } = await issuePackageStatement({
        actor,
        id: ok.id,
        kind: "package-step",
        step: step.number,
        evidence: evidence[step.key] ?? {},
      });
      await recordPackageSignoff({
        actor,
        id: ok.id,
        statement,
        signature: await cora.sign(statement),
      });
    }

    // The seed's outdated certificate: the vendor signs with its new certificate already.
    const bad = await receivePackage({
      actor,
      slug: DEMO_INSTALLATION,
      channel: "API",
      fileName: path.basename(v.quarantined.path),
      data: new Uint8Array(v.quarantined.bytes),
    });
    if (bad.state !== "QUARANTINED") throw new Error("demo package was expected in quarantine");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log("seeded the OS4X installation: one package on its checklist, one quarantined");
}
