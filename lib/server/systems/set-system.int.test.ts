import { beforeEach, describe, expect, it } from "vitest";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { resetDatabase } from "../../../test/reset";
import { addSystem } from "./add-system";
import { setSystem } from "./set-system";

describe("setSystem: the tracker secret's variable", () => {
  beforeEach(async () => {
    await resetDatabase();
    await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "WebDB" });
  });

  it.each([
    "DATABASE_URL",
    "AUTH_SECRET",
    "PORTAL_KEY_PASSPHRASE",
    "REDIS_URL",
    "SMTP_URL",
    "AUTH_URL",
    "PATH",
  ])("refuses the portal's own setting %s", async (name) => {
    await expect(
      setSystem({
        actor: CLI_BOOTSTRAP,
        slug: "webdb",
        trackerKind: "WEBHOOK",
        trackerUrl: "https://tracker.example.org/hook",
        trackerSecretEnv: name,
      }),
    ).rejects.toThrow(/portal's own settings/);
  });

  it("stores a name meant for the tracker", async () => {
    const system = await setSystem({
      actor: CLI_BOOTSTRAP,
      slug: "webdb",
      trackerKind: "WEBHOOK",
      trackerUrl: "https://tracker.example.org/hook",
      trackerSecretEnv: "WEBDB_WEBHOOK_SECRET",
    });
    expect(system.trackerSecretEnv).toBe("WEBDB_WEBHOOK_SECRET");
  });
});
