import { describe, expect, it } from "vitest";
import { readTrackerSecret } from "./tracker-secret";

describe("readTrackerSecret", () => {
  const environ = {
    DATABASE_URL: "postgresql://secret@db/x",
    AUTH_SECRET: "s",
    WEBDB_MANTIS_TOKEN: "token-1",
  };

  it("reads a tracker's own variable", () => {
    expect(readTrackerSecret("WEBDB_MANTIS_TOKEN", environ)).toBe("token-1");
    expect(readTrackerSecret("UNSET_TOKEN", environ)).toBeUndefined();
  });

  it.each([
    "DATABASE_URL",
    "AUTH_SECRET",
    "PORTAL_KEY_PASSPHRASE",
    "REDIS_URL",
    "SMTP_URL",
    "AUTH_URL",
    "NODE_ENV",
    "PATH",
    "HOME",
  ])("refuses %s, a setting of the portal", (name) => {
    expect(() => readTrackerSecret(name, environ)).toThrow(
      expect.objectContaining({ name: "PermanentError" }),
    );
  });
});
