import { describe, expect, it } from "vitest";
import { ZEnv } from "./env";
import { isReservedEnvName, RESERVED_ENV_NAMES } from "./env-reserved";

describe("isReservedEnvName", () => {
  it("covers every setting in ZEnv and the process basics", () => {
    for (const key of Object.keys(ZEnv.shape)) expect(isReservedEnvName(key)).toBe(true);
    for (const name of [
      "DATABASE_URL",
      "AUTH_SECRET",
      "PORTAL_KEY_PASSPHRASE",
      "REDIS_URL",
      "SMTP_URL",
      "AUTH_URL",
      "NODE_ENV",
      "PATH",
      "HOME",
      "database_url",
    ]) {
      expect(isReservedEnvName(name)).toBe(true);
    }
    expect(RESERVED_ENV_NAMES.size).toBe(Object.keys(ZEnv.shape).length + 4);
  });

  it("leaves names meant for tracker secrets", () => {
    expect(isReservedEnvName("WEBDB_MANTIS_TOKEN")).toBe(false);
    expect(isReservedEnvName("TEST_WEBHOOK_SECRET")).toBe(false);
  });
});
