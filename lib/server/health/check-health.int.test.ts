import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { HEARTBEAT_ID } from "../../jobs/heartbeat-id";
import { WORKER_STALE_AFTER_MS } from "../outbox/list-outbox";
import { resetDatabase } from "../../../test/reset";
import { checkHealth } from "./check-health";
import { expectShape } from "../../../test/api-shape";
import { ZHealth } from "../../api/openapi-health";

describe("checkHealth", () => {
  beforeEach(resetDatabase);

  it("reports PostgreSQL and Redis up, and the worker stale until it beats", async () => {
    expect(await checkHealth()).toEqual({ db: "ok", redis: "ok", worker: "stale" });
    expectShape(ZHealth, await checkHealth());
    await db.workerHeartbeat.create({ data: { id: HEARTBEAT_ID, beatAt: new Date() } });
    expect(await checkHealth()).toEqual({ db: "ok", redis: "ok", worker: "ok" });
  });

  it("calls a worker stale once its last beat is too old", async () => {
    const beatAt = new Date(Date.now() - WORKER_STALE_AFTER_MS - 1_000);
    await db.workerHeartbeat.create({ data: { id: HEARTBEAT_ID, beatAt } });
    expect((await checkHealth()).worker).toBe("stale");
  });
});
