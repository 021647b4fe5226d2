// H1: a vendor hotfix file is named
//   <product>-<version>-hotfix_<component>_<description>_<issue>.gz
// e.g. sshmgr-3.0.0-hotfix_common_fix_tags_and_stats_UKM-1291.gz, and registers
// as hotfix_<component>_<description> (the seed's System → Hotfixes "Name").

export const HOTFIX_COMPONENTS = ["frontend", "backend", "common"] as const;
export type THotfixComponent = (typeof HOTFIX_COMPONENTS)[number];

export type THotfixName = {
  fileName: string;
  product: string;
  version: string;
  component: THotfixComponent;
  description: string;
  issue: string;
  /** hotfix_<component>_<description>: what the portal lists and the CLI names. */
  name: string;
};

export type THotfixNameResult = { ok: true; value: THotfixName } | { ok: false; error: string };

const PRODUCT = /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/;
export const VERSION = /^\d+\.\d+\.\d+$/;
const DESCRIPTION = /^[a-z0-9]+(?:_[a-z0-9]+)*$/;
const ISSUE = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;
export const REGISTERED_NAME = /^hotfix_(frontend|backend|common)_[a-z0-9]+(?:_[a-z0-9]+)*$/;

const fail = (error: string): THotfixNameResult => ({ ok: false, error });

/** Parses a hotfix file name; every refusal says which part is wrong. */
export function parseHotfixFileName(fileName: string): THotfixNameResult {
  const expected = "<product>-<version>-hotfix_<component>_<description>_<issue>.gz";
  if (!fileName.endsWith(".gz")) return fail(`The file name must end in .gz (${expected}).`);
  const stem = fileName.slice(0, -".gz".length);
  const at = stem.indexOf("-hotfix_");
  if (at < 0) return fail(`The file name must contain "-hotfix_" (${expected}).`);
  const head = stem.slice(0, at);
  const tail = stem.slice(at + "-hotfix_".length);

  const dash = head.lastIndexOf("-");
  if (dash < 0) return fail(`The file name must start with <product>-<version> (${expected}).`);
  const product = head.slice(0, dash);
  const version = head.slice(dash + 1);
  if (!PRODUCT.test(product))
    return fail(`"${product}" is not a product name (lower-case letters, digits, "-" and ".").`);
  if (!VERSION.test(version)) return fail(`"${version}" is not a version of the form x.y.z.`);

  const parts = tail.split("_");
  const component = parts[0];
  if (!(HOTFIX_COMPONENTS as readonly string[]).includes(component))
    return fail(`"${component}" is not a component: frontend, backend or common.`);
  if (parts.length < 3)
    return fail(`The name needs a description and an issue after the component (${expected}).`);
  const issue = parts[parts.length - 1];
  const description = parts.slice(1, -1).join("_");
  if (!DESCRIPTION.test(description))
    return fail(`"${description}" is not a description (lower-case letters, digits and "_").`);
  if (!ISSUE.test(issue)) return fail(`"${issue}" is not an issue id (e.g. UKM-1291).`);

  return {
    ok: true,
    value: {
      fileName,
      product,
      version,
      component: component as THotfixComponent,
      description,
      issue,
      name: `hotfix_${component}_${description}`,
    },
  };
}
