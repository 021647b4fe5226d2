import { z } from "zod";
import { ROLES } from "../domain/roles";
import { ZDossierPath, ZHead } from "./manifest";

// The parts every sealed bundle's manifest shares (hotfix, package, release
// update, emergency): a signer bound to an account with the roles held at
// receipt, the keys and whose they are, the audit excerpt, the file hashes.

export const ZSha256 = z.string().regex(/^[0-9a-f]{64}$/);
export const ZFingerprint = z.string().regex(/^[0-9A-F]{40}([0-9A-F]{24})?$/);
export const ZInstant = z.iso.datetime();
export const ZAccount = z.strictObject({
  id: z.string().min(1),
  email: z.string(),
  name: z.string(),
});

/** Who signed a statement, and the roles they held when the portal received it. */
export const ZBundleSigner = z.strictObject({
  account: z.string().min(1),
  email: z.string(),
  name: z.string(),
  roles: z.array(z.enum(ROLES)),
});

export const ZBundleKeys = z.array(
  z.strictObject({ fingerprint: ZFingerprint, file: ZDossierPath, account: ZAccount }),
);

export const ZBundleAudit = z.strictObject({
  events: ZDossierPath,
  count: z.number().int().min(0),
  head: ZHead,
  links: ZDossierPath,
});

export const ZBundleFiles = z.record(ZDossierPath, ZSha256);

export { ZBundleLog, type TBundleLog } from "./log-manifest";
