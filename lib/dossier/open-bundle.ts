import type { z } from "zod";
import { MANIFEST } from "./layout";
import type { CheckLog } from "./check-log";
import { jsonOf, type TFiles } from "./bundle-checks";
import { checkPortalSeal, type TTrustAnchor } from "./portal-seal";

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
 * and the directory it was unpacked from named as the manifest says.
 */
export async function openSealedBundle<M extends { exportedAt: string }>(
  log: CheckLog,
  files: TFiles,
  opts: { root?: string; anchor: TTrustAnchor },
  kind: TBundleKind<M>,
): Promise<{ manifest: M | null; sealed: boolean }> {
  const parsed = kind.schema.safeParse(jsonOf(files.get(MANIFEST)));
  const manifest = parsed.success ? parsed.data : null;
  if (!manifest) log.fail("manifest", MANIFEST, `missing or not ${kind.what}`);
  else log.pass("manifest", MANIFEST, kind.describe(manifest));
  const sealed = await checkPortalSeal(log, files, opts.anchor, manifest?.exportedAt ?? null);
  if (manifest && opts.root !== undefined && opts.root !== kind.root(manifest))
    log.fail("manifest", opts.root, `the bundle's directory should be ${kind.root(manifest)}`);
  return { manifest, sealed };
}
