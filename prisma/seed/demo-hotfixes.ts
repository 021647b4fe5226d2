// The demo's Key Manager fleet and two vendor hotfixes (H1–H6): one rolled out
// half-way (verified on a front end, applied on a back end), one refused on a
// back end whose file differs. Idempotent: what exists is left alone.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { Header, Pack, ReadEntry } from "tar";
import { db } from "../../lib/db";
import { CLI_BOOTSTRAP } from "../../lib/auth/actor";
import { addServer } from "../../lib/server/hotfixes/servers";
import { uploadHotfix } from "../../lib/server/hotfixes/upload-hotfix";
import {
  issueHotfixStatement,
  recordHotfixSignoff,
} from "../../lib/server/hotfixes/hotfix-statements";
import { reportApplication } from "../../lib/server/hotfixes/applications";
import { mismatchMessage } from "../../lib/hotfix/install-root";
import { demoSigner, type TDemoKeys, type TDemoSigner } from "./demo-signers";

const SERVERS = [
  { slug: "km-fe1", name: "Key Manager front end 1", role: "frontend", version: "3.0.0" },
  { slug: "km-fe2", name: "Key Manager front end 2", role: "frontend", version: "3.0.0" },
  { slug: "km-be1", name: "Key Manager back end 1", role: "backend", version: "3.0.0" },
  { slug: "km-be2", name: "Key Manager back end 2", role: "backend", version: "3.0.0" },
  { slug: "km-legacy", name: "Key Manager (old cluster)", role: "backend", version: "2.9.0" },
] as const;

const sha = (b: string) => createHash("sha256").update(b).digest("hex");

async function archive(files: Record<string, [string | null, string]>): Promise<Buffer> {
  const pack = new Pack({ portable: true });
  const chunks: Buffer[] = [];
  pack.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((r) => pack.on("end", () => r()));
  const manifest = {
    product: "sshmgr",
    version: "3.0.0",
    files: Object.entries(files).map(([path, [before, after]]) => ({
      path,
      sha256Before: before === null ? null : sha(before),
      sha256After: sha(after),
    })),
  };
  const entries: [string, string][] = [
    ["hotfix.json", JSON.stringify(manifest, null, 2)],
    ...Object.entries(files).map(([p, [, after]]): [string, string] => [`files/${p}`, after]),
  ];
  for (const [p, body] of entries) {
    const e = new ReadEntry(
      new Header({
        path: p,
        type: "File",
        size: Buffer.byteLength(body),
        mode: 0o644,
        mtime: new Date(0),
      }),
    );
    pack.add(e);
    e.end(Buffer.from(body));
  }
  pack.end();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

async function sign(s: TDemoSigner, q: Omit<Parameters<typeof issueHotfixStatement>[0], "actor">) {
  const { statement } = await issueHotfixStatement({ actor: s.actor, ...q });
  await recordHotfixSignoff({
    actor: s.actor,
    name: q.name,
    statement,
    signature: await s.sign(statement),
  });
}

export async function seedDemoHotfixes(keys: TDemoKeys) {
  for (const s of SERVERS)
    if (!(await db.server.findUnique({ where: { slug: s.slug } })))
      await addServer({ actor: CLI_BOOTSTRAP, ...s, product: "sshmgr" });
  if (await db.hotfix.count()) return;

  const cora = await demoSigner("cora@demo.patchgate.org", keys);
  const carl = await demoSigner("carl@demo.patchgate.org", keys);
  const ada = await demoSigner("ada@demo.patchgate.org", keys);

  const tags = "hotfix_common_fix_tags_and_stats";
  await uploadHotfix({
    actor: cora.actor,
    fileName: `sshmgr-3.0.0-${tags}_UKM-1291.gz`,
    bytes: await archive({
      "api/v2/operations.pyc": ["sshmgr 3.0.0 operations", "sshmgr 3.0.0 operations, tags fixed"],
      "api/v2/stats.py": [null, "# statistics per tag (UKM-1291)\n"],
    }),
  });
  await sign(ada, {
    name: tags,
    kind: "hotfix-release",
    comment: "Vendor advisory UKM-1291 read; fits 3.0.0.",
  });
  const files = {
    "api/v2/operations.pyc": sha("sshmgr 3.0.0 operations, tags fixed"),
    "api/v2/stats.py": sha("# statistics per tag (UKM-1291)\n"),
  };
  for (const server of ["km-fe1", "km-be1"]) {
    await reportApplication({
      actor: cora.actor,
      name: tags,
      server,
      outcome: "APPLIED",
      restartCommand: "supervisorctl restart all",
      restartExit: 0,
      restartOutput: "sshmgr-api: stopped\nsshmgr-api: started\n",
      files,
    });
    if (server === "km-fe1")
      await sign(cora, {
        name: tags,
        kind: "hotfix-verify",
        server,
        direct: true,
        comment: "Tag statistics correct on km-fe1, reached directly.",
      });
  }

  // The second: released, and refused on a back end whose file is not the one it overrides.
  const queue = "hotfix_backend_fix_operations_queue";
  await uploadHotfix({
    actor: carl.actor,
    fileName: `sshmgr-3.0.0-${queue}_UKM-1300.gz`,
    bytes: await archive({
      "api/v2/queue.pyc": ["sshmgr 3.0.0 queue", "sshmgr 3.0.0 queue, fixed"],
    }),
  });
  await sign(ada, { name: queue, kind: "hotfix-release", comment: "UKM-1300 read." });
  await reportApplication({
    actor: carl.actor,
    name: queue,
    server: "km-be2",
    outcome: "FAILED",
    restartCommand: "supervisorctl restart all",
    error: mismatchMessage(
      "/opt/sshmgr",
      {
        path: "api/v2/queue.pyc",
        actual: sha("sshmgr 3.0.0 queue, patched by hand"),
        expected: sha("sshmgr 3.0.0 queue"),
      },
      "sshmgr",
      "3.0.0",
    ),
  });
  console.log("seeded the Key Manager fleet and two hotfixes");
}
