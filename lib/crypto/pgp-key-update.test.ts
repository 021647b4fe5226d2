import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gpgHome } from "../../peers/gpg";
import { mergeKeyUpdate } from "./pgp-key-update";
import { parseRegistrableKey } from "./pgp-keys";

// Key updates as stock GnuPG 2.2 makes them: the revocation certificate gpg
// writes beside every new key (with its ":" guard) and an extended expiry.

function gpgKey() {
  const g = gpgHome();
  g.gpg(["--quick-gen-key", "Gus Gnu <gus@example.org>", "ed25519", "sign", "1d"]);
  const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(
    g.gpg(["--with-colons", "--fingerprint", "gus@example.org"]),
  )![1];
  return { ...g, fpr, exported: () => g.gpg(["--armor", "--export", fpr]) };
}

describe("mergeKeyUpdate with GnuPG's material", () => {
  it("applies the revocation certificate gpg stores in openpgp-revocs.d, ':' guard and all", async () => {
    const g = gpgKey();
    try {
      const registered = await parseRegistrableKey(g.exported(), {
        accountEmail: "GUS@example.org",
      });
      const rev = readFileSync(path.join(g.home, "openpgp-revocs.d", `${g.fpr}.rev`), "utf8");
      expect(rev).toMatch(/^:-----BEGIN PGP PUBLIC KEY BLOCK-----$/m);
      const merged = await mergeKeyUpdate(registered.armored, rev);
      expect(merged.fingerprint).toBe(g.fpr);
      expect(merged.revocation).toMatchObject({ revokedAt: expect.any(Date) });
      // Stock gpg reads the merged key as revoked.
      const check = gpgHome();
      try {
        check.gpg(["--import"], merged.armored);
        expect(check.gpg(["--with-colons", "--list-keys", g.fpr])).toMatch(/^pub:r:/m);
      } finally {
        check.cleanup();
      }
    } finally {
      g.cleanup();
    }
  });

  it("takes an expiry extended with gpg --quick-set-expire", async () => {
    const g = gpgKey();
    try {
      const registered = await parseRegistrableKey(g.exported(), {
        accountEmail: "gus@example.org",
      });
      expect(registered.expiresAt).not.toBeNull();
      g.gpg(["--quick-set-expire", g.fpr, "0"]);
      const merged = await mergeKeyUpdate(registered.armored, g.exported());
      expect(merged).toMatchObject({ expiresAt: null, revocation: null });
    } finally {
      g.cleanup();
    }
  });
});
