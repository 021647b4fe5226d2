import { Command } from "commander";
import { ClientError } from "../client/exit-codes";
import {
  numberArg,
  openClient,
  output,
  patchIdByNumber,
  runClient,
  type TJsonOption,
} from "../client/run-client";
import type { TPortalClient } from "../client/portal-client";

// `patchgate evidence N -o FILE`: patch #N's dossier, checked against the
// SHA-256 the portal sent and written whole or not at all; then
// `patchgate verify FILE` checks it offline.

/** Downloads an evidence bundle and writes it atomically; shared by patches and emergencies. */
export async function saveBundle(
  client: TPortalClient,
  path: string,
  fallbackName: string,
  given?: string,
): Promise<{ file: string; bytes: number; sha256: string }> {
  const { createHash } = await import("node:crypto");
  const { rename, rm, writeFile } = await import("node:fs/promises");
  const { basename, dirname, join } = await import("node:path");
  const got = await client.bytes(path);
  const sha256 = createHash("sha256").update(got.bytes).digest("hex");
  const expected = got.headers.get("x-content-sha256");
  if (expected && expected !== sha256)
    throw new ClientError(
      `the downloaded bundle has SHA-256 ${sha256}, not ${expected}: nothing was written`,
    );
  const named = /filename="([^"/\\]+)"/.exec(got.headers.get("content-disposition") ?? "")?.[1];
  const file = given ?? named ?? fallbackName;
  const partial = join(dirname(file), `.${basename(file)}.${process.pid}.part`);
  try {
    await writeFile(partial, got.bytes, { mode: 0o644 });
    await rename(partial, file);
  } catch (e) {
    await rm(partial, { force: true });
    throw new ClientError(`${file}: ${(e as Error).message}`);
  }
  return { file, bytes: got.bytes.length, sha256 };
}

async function evidenceCommand(n: string, opts: { output?: string } & TJsonOption): Promise<void> {
  const number = numberArg(n);
  const client = await openClient();
  const id = await patchIdByNumber(client, number);
  const saved = await saveBundle(
    client,
    `/patches/${encodeURIComponent(id)}/evidence`,
    `patch-${number}-dossier.tar.gz`,
    opts.output,
  );
  output(opts, { number, ...saved }, () => [
    `wrote ${saved.bytes} bytes to ${saved.file} (sha256 ${saved.sha256})`,
    `check it: patchgate verify ${saved.file} --portal-key <the key from ${client.base}/api/portal-key>`,
  ]);
}

export function evidenceCommandOf(): Command {
  return new Command("evidence")
    .argument("<N>", "the patch number")
    .description("Download patch #N's evidence bundle (dossier) for patchgate verify")
    .option("-o, --output <file>", "where to write it (default: the name the portal gives)")
    .option("--json", "print JSON")
    .action(runClient(evidenceCommand));
}
