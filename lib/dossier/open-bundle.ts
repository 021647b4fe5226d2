import type { z } from "zod";
import { MANIFEST } from "./layout";
import type { CheckLog } from "./check-log";
import { utf8Text } from "./check-log";
import { jsonOf, parseEventLines, type TFiles } from "./bundle-checks";
import { checkPortalSealKey, type TTrustAnchor } from "./portal-seal";
import type { TBundleLog } from "./log-manifest";
import { checkLogProofs } from "./verify-log";

/** What a sealed bundle kind tells the opening check about its manifest. */
export type TBundleKind<M> = {
  schema: z.ZodType<M>;
  /** "an emergency bundle manifest": named when the manifest is missing or of another kind. */
  what: string;
  /** The manifest's one-line description in the check log. */
  describe: (m: M) => string;
  /** The directory the bundle's files sit in. */
  root: (m: M) => string;
};

/**
 * The opening every sealed bundle's verifier shares: its manifest read as this
 * kind, the portal's seal over it checked against the reader's trust anchor,
 * the directory it was unpacked from named as the manifest says, and (issue
 * #16) its audit events' inclusion proofs in the portal's transparency log.
 */
export async function openSealedBundle<
  M extends {
    exportedAt: string;
    audit: { events: string };
    files: Record<string, string>;
    log?: TBundleLog;
  },
>(
  log: CheckLog,
  files: TFiles,
  opts: { root?: string; anchor: TTrustAnchor },
  kind: TBundleKind<M>,
): Promise<{ manifest: M | null; sealed: boolean }> {
  const parsed = kind.schema.safeParse(jsonOf(files.get(MANIFEST)));
  const manifest = parsed.success ? parsed.data : null;
  if (!manifest) log.fail("manifest", MANIFEST, `missing or not ${kind.what}`);
  else log.pass("manifest", MANIFEST, kind.describe(manifest));
  const seal = await checkPortalSealKey(log, files, opts.anchor, manifest?.exportedAt ?? null);
  if (manifest && opts.root !== undefined && opts.root !== kind.root(manifest))
    log.fail("manifest", opts.root, `the bundle's directory should be ${kind.root(manifest)}`);
  if (manifest) {
    const bytes = files.get(manifest.audit.events);
    await checkLogProofs(log, {
      files,
      listed: manifest.files,
      entry: manifest.log,
      // Lines that are no event are the audit check's to report.
      events: parseEventLines(bytes && utf8Text(bytes)).events,
      portalKey: seal.key,
      at: new Date(manifest.exportedAt),
    });
  }
  return { manifest, sealed: seal.sealed };
}
