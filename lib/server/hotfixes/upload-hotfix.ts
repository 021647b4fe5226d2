import "server-only";
import { Readable } from "node:stream";
import { z } from "zod";
import { db } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { sha256Hex } from "../../crypto/hash";
import { parseHotfixFileName } from "../../domain/hotfix-name";
import { HotfixArchiveError, readHotfix } from "../../hotfix/read-hotfix";
import { isUniqueViolation } from "../prisma-errors";
import { appendAuditEvent } from "../audit/append-event";
import { loadHotfix, presentHotfix } from "./hotfix-facts";

/** The largest hotfix file accepted (compressed); unpacked, 200 MB (lib/hotfix/read-hotfix.ts). */
export const MAX_HOTFIX_BYTES = 64 * 1024 * 1024;

/** POST /api/v1/hotfixes: a multipart form whose part `file` is the hotfix file, its own name parsed. */
export const ZHotfixUploadForm = z.object({
  file: z.file().meta({
    description:
      "<product>-<version>-hotfix_<component>_<description>_<issue>.gz: a gzip tar with hotfix.json and files/.",
  }),
});

/**
 * H1: registers an uploaded hotfix file after reading it whole: its name
 * parses, hotfix.json names the same product and version, and lists exactly
 * the files inside with their SHA-256. Anything else is refused, nothing stored.
 */
export async function uploadHotfix({
  actor,
  fileName,
  bytes,
}: {
  actor: TActor;
  fileName: string;
  bytes: Uint8Array;
}) {
  authorize(actor, "hotfix:manage");
  const person = requirePerson(actor);
  const parsed = parseHotfixFileName(fileName);
  if (!parsed.ok) throw new AppError("VALIDATION", `${fileName}: ${parsed.error}`);
  const name = parsed.value;
  if (bytes.length > MAX_HOTFIX_BYTES)
    throw new AppError("PAYLOAD_TOO_LARGE", `A hotfix file is at most ${MAX_HOTFIX_BYTES} bytes.`);

  let contents;
  try {
    contents = await readHotfix(Readable.from([Buffer.from(bytes)]));
  } catch (e) {
    if (e instanceof HotfixArchiveError)
      throw new AppError("VALIDATION", `${fileName}: ${e.message}`);
    throw e;
  }
  const { manifest } = contents;
  if (manifest.product !== name.product || manifest.version !== name.version)
    throw new AppError(
      "VALIDATION",
      `${fileName} names ${name.product} ${name.version}, but its hotfix.json is for ${manifest.product} ${manifest.version}.`,
    );

  const sha256 = sha256Hex(bytes);
  try {
    return await db.$transaction(async (tx) => {
      const hotfix = await tx.hotfix.create({
        data: {
          name: name.name,
          fileName,
          product: name.product,
          version: name.version,
          component: name.component,
          description: name.description,
          issue: name.issue,
          sha256,
          bytes: bytes.length,
          content: Buffer.from(bytes),
          files: manifest.files,
          uploadedById: person.id,
        },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "hotfix.uploaded",
        subjectType: "hotfix",
        subjectId: hotfix.id,
        payload: { name: name.name, fileName, sha256, files: manifest.files.length },
      });
      return presentHotfix(await loadHotfix(tx, name.name));
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("CONFLICT", `A hotfix named ${name.name} is already registered.`);
    throw e;
  }
}
