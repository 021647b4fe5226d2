// `npm run db:seed`: the demo portal's data. Idempotent: run it as often as you like.
// Each person's private key and passphrase go to .demo/keys/ so a visitor can sign.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { db } from "../../lib/db";
import { ensurePerson, ensureSystem, generateSigningKey } from "./builders";
import { DEMO_PASSWORD, DEMO_PEOPLE } from "./demo-people";
import { ROLE_LABEL } from "../../lib/domain/roles";
import { seedDemoPatches } from "./demo-patches";
import type { TDemoKeys } from "./demo-signers";
import { seedDemoEmergencies } from "./demo-emergencies";
import { seedDemoSystems } from "./demo-systems";
import { seedDemoHotfixes } from "./demo-hotfixes";
import { seedDemoUpdates } from "./demo-updates";
import { seedDemoReleaseUpdates } from "./demo-release-updates";
import { existsSync, readFileSync } from "node:fs";

const KEY_DIR = path.resolve(process.env.DEMO_DIR ?? ".demo", "keys");

async function main() {
  mkdirSync(KEY_DIR, { recursive: true });
  await ensureSystem({ slug: "webdb", name: "CAcert webdb server", procedure: "WEBDB" });
  await ensureSystem({
    slug: "signing-server",
    name: "CAcert signing server",
    procedure: "SIGNING_SERVER",
  });
  // Before the patches: the DEPLOYED one's worker steps go to the demo peers (scripts/demo-peers.ts).
  await seedDemoSystems();

  const keys: TDemoKeys = new Map();
  for (const person of DEMO_PEOPLE) {
    const base = path.join(KEY_DIR, person.email.split("@")[0]);
    const exists = await db.user.findUnique({
      where: { email: person.email },
      select: { id: true },
    });
    if (exists) {
      if (existsSync(`${base}.secret.asc`)) {
        keys.set(person.email, {
          privateKey: readFileSync(`${base}.secret.asc`, "utf8"),
          passphrase: readFileSync(`${base}.passphrase`, "utf8").trim(),
        });
      }
      continue;
    }
    const passphrase = randomBytes(9).toString("base64url");
    const key = await generateSigningKey(person.name, person.email, passphrase);
    await ensurePerson({ ...person, password: DEMO_PASSWORD, publicKey: key.publicKey });
    keys.set(person.email, { privateKey: key.privateKey, passphrase });
    writeFileSync(`${base}.secret.asc`, key.privateKey, { mode: 0o600 });
    writeFileSync(`${base}.passphrase`, passphrase + "\n", { mode: 0o600 });
    writeFileSync(`${base}.public.asc`, key.publicKey);
    console.log(`seeded ${person.email} (${person.roles.join(", ")}) key ${key.fingerprint}`);
  }
  if (keys.size === DEMO_PEOPLE.length) {
    await seedDemoPatches(keys);
    await seedDemoEmergencies(keys);
    await seedDemoHotfixes(keys);
    await seedDemoUpdates(keys);
    await seedDemoReleaseUpdates(keys);
  } else
    console.warn(
      "demo patches skipped: the demo keys in .demo/keys are missing (delete the database to start over)",
    );
  const logins = DEMO_PEOPLE.map(
    (p) => `  ${p.email.padEnd(28)} ${p.roles.map((r) => ROLE_LABEL[r]).join(", ")}`,
  ).join("\n");
  writeFileSync(
    path.join(KEY_DIR, "..", "logins.txt"),
    `Sign in with any of these (password: ${DEMO_PASSWORD}):\n${logins}\n\n` +
      `Their private keys and passphrases, to sign in the browser or with gpg:\n  ${KEY_DIR}/<name>.secret.asc and <name>.passphrase\n`,
  );
  console.log(`demo data ready; private keys and passphrases in ${KEY_DIR}`);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => db.$disconnect());
