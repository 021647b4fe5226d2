import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { db } from "../db";
import { resetDatabase } from "../../test/reset";
import { makePerson, makeToken } from "../../test/factories";
import { addProcessSystems } from "../../test/process";
import { startApiServer } from "../../test/api-server";
import { expectRefusal, expectShape } from "../../test/api-shape";
import type { TPersonActor } from "../auth/actor";
import {
  ZGrant,
  ZOutboxEntry,
  ZOutboxRetried,
  ZPolicyChange,
  ZSystem,
  ZUser,
} from "./openapi-admin";

// The administration routes (issue 18) as a client calls them: accounts, roles with the
// two-admin removal, systems and the outbox, through the route modules Next serves, with
// the same rules and refusals as the pages; each answer checked against its schema.

let api: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  api = await startApiServer();
});
afterAll(async () => {
  await api?.close();
});
beforeEach(resetDatabase);

type TCaller = TPersonActor & { token: string };

async function caller(roles: Parameters<typeof makePerson>[0]): Promise<TCaller> {
  const person = await makePerson(roles);
  return { ...person, token: await makeToken(person) };
}

function call(who: TCaller | null, method: string, path: string, body?: unknown) {
  return fetch(`${api.url}${path}`, {
    method,
    headers: {
      ...(who ? { authorization: `Bearer ${who.token}` } : {}),
      "content-type": "application/json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function ok<T>(res: Response, status: number, schema: z.ZodType<T>): Promise<T> {
  const answer = await res.json();
  expect(res.status, JSON.stringify(answer)).toBe(status);
  expectShape(schema, answer);
  return answer;
}

const grantOf = (userId: string, role: string) =>
  db.roleGrant.findFirstOrThrow({ where: { userId, role: role as never, revokedAt: null } });

describe("accounts over the API", () => {
  it("lists, creates, disables and enables with the roles page's rules", async () => {
    const [ada, dev] = [await caller(["ADMIN"]), await caller(["DEVELOPER"])];
    const crit = await makePerson(["CRITICAL_ADMIN"]);

    await expectRefusal(await call(null, "GET", "/api/v1/users"), 401, "UNAUTHENTICATED");
    await expectRefusal(await call(dev, "GET", "/api/v1/users"), 403, "FORBIDDEN");
    const users = await ok(await call(ada, "GET", "/api/v1/users"), 200, z.array(ZUser));
    expect(users.map((u) => u.id).sort()).toEqual([ada.id, dev.id, crit.id].sort());

    const fresh = { email: "Nina@Example.org", name: "Nina New" };
    await expectRefusal(await call(dev, "POST", "/api/v1/users", fresh), 403, "FORBIDDEN");
    const nina = await ok(await call(ada, "POST", "/api/v1/users", fresh), 201, ZUser);
    expect(nina).toMatchObject({ email: "nina@example.org", name: "Nina New", disabledAt: null });
    // A link to choose a password is on its way, as from the page; no roles, no password.
    expect(await db.outbox.count({ where: { kind: "user.password-link" } })).toBe(1);
    expect((await db.user.findUniqueOrThrow({ where: { id: nina.id } })).passwordHash).toBeNull();
    await expectRefusal(await call(ada, "POST", "/api/v1/users", fresh), 409, "CONFLICT");
    expect(
      await expectRefusal(
        await call(ada, "POST", "/api/v1/users", {
          ...fresh,
          email: "x@example.org",
          roles: ["ADMIN"],
        }),
        400,
        "VALIDATION",
      ),
    ).toMatch(/roles/);
    await expectRefusal(
      await call(ada, "POST", "/api/v1/users", { email: "not-an-email", name: "X" }),
      400,
      "VALIDATION",
    );

    const disable = (who: TCaller, id: string, body: object = { reason: "left the team" }) =>
      call(who, "POST", `/api/v1/users/${id}/disable`, body);
    await expectRefusal(await disable(dev, nina.id), 403, "FORBIDDEN");
    expect(await expectRefusal(await disable(ada, ada.id), 403, "FORBIDDEN")).toMatch(/your own/);
    await expectRefusal(await disable(ada, "cm0nosuchuser000000000000"), 404, "NOT_FOUND");
    expect(await expectRefusal(await disable(ada, crit.id), 409, "CONFLICT")).toMatch(
      /last critical-admin/,
    );
    const off = await ok(await disable(ada, nina.id), 200, ZUser);
    expect(off.disabledAt).not.toBeNull();
    await expectRefusal(await disable(ada, nina.id, {}), 409, "CONFLICT");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "user.disabled" } });
    expect(audit.payload).toEqual({ reason: "left the team" });

    await expectRefusal(
      await call(dev, "POST", `/api/v1/users/${nina.id}/enable`),
      403,
      "FORBIDDEN",
    );
    const on = await ok(await call(ada, "POST", `/api/v1/users/${nina.id}/enable`), 200, ZUser);
    expect(on.disabledAt).toBeNull();
    await expectRefusal(
      await call(ada, "POST", `/api/v1/users/${nina.id}/enable`),
      409,
      "CONFLICT",
    );
  });

  it("disabling a person ends their token", async () => {
    const ada = await caller(["ADMIN"]);
    const tom = await caller(["TESTER"]);
    expect((await call(tom, "GET", "/api/v1/me")).status).toBe(200);
    await ok(await call(ada, "POST", `/api/v1/users/${tom.id}/disable`), 200, ZUser);
    await expectRefusal(await call(tom, "GET", "/api/v1/me"), 401, "UNAUTHENTICATED");
  });
});

describe("roles over the API", () => {
  it("nominates and approves with four eyes, and revokes", async () => {
    const [ada, ben, dev] = [
      await caller(["ADMIN"]),
      await caller(["ADMIN"]),
      await caller(["DEVELOPER"]),
    ];
    const nominate = { userId: dev.id, role: "TESTER", note: "runs the test VMs" };
    await expectRefusal(await call(dev, "POST", "/api/v1/roles", nominate), 403, "FORBIDDEN");
    await expectRefusal(
      await call(ada, "POST", "/api/v1/roles", {
        ...nominate,
        userId: "cm0nosuchuser000000000000",
      }),
      404,
      "NOT_FOUND",
    );
    await expectRefusal(
      await call(ada, "POST", "/api/v1/roles", { ...nominate, role: "POPE" }),
      400,
      "VALIDATION",
    );
    const grant = await ok(await call(ada, "POST", "/api/v1/roles", nominate), 201, ZGrant);
    expect(grant).toMatchObject({
      role: "TESTER",
      state: "pending",
      user: { id: dev.id },
      note: "runs the test VMs",
      nominatedBy: { id: ada.id },
      approvedAt: null,
      revocationRequest: null,
    });
    await expectRefusal(await call(ada, "POST", "/api/v1/roles", nominate), 409, "CONFLICT");

    const approve = (who: TCaller, id: string) => call(who, "POST", `/api/v1/roles/${id}/approve`);
    await expectRefusal(await approve(dev, grant.id), 403, "FORBIDDEN");
    expect(await expectRefusal(await approve(ada, grant.id), 403, "FORBIDDEN")).toMatch(
      /Another admin approves/,
    );
    await expectRefusal(await approve(ben, "cm0nosuchgrant00000000000"), 404, "NOT_FOUND");
    const approved = await ok(await approve(ben, grant.id), 200, ZGrant);
    expect(approved).toMatchObject({ state: "live", approvedBy: { id: ben.id } });
    await expectRefusal(await approve(ben, grant.id), 409, "CONFLICT");
    expect((await call(dev, "GET", "/api/v1/me").then((r) => r.json())).roles).toEqual([
      "developer",
      "tester",
    ]);

    // Nobody approves their own nomination, even when another admin made it.
    const own = await ok(
      await call(ada, "POST", "/api/v1/roles", { userId: ben.id, role: "ASSESSOR" }),
      201,
      ZGrant,
    );
    expect(await expectRefusal(await approve(ben, own.id), 403, "FORBIDDEN")).toMatch(
      /your own nomination/,
    );

    await expectRefusal(await call(dev, "GET", "/api/v1/roles"), 403, "FORBIDDEN");
    const all = await ok(await call(ada, "GET", "/api/v1/roles"), 200, z.array(ZGrant));
    expect(all.map((g) => [g.role, g.state])).toEqual(
      expect.arrayContaining([
        ["TESTER", "live"],
        ["ASSESSOR", "pending"],
      ]),
    );

    const revoke = (who: TCaller, id: string, body: object) =>
      call(who, "POST", `/api/v1/roles/${id}/revoke`, body);
    await expectRefusal(await revoke(ada, grant.id, {}), 400, "VALIDATION");
    await expectRefusal(await revoke(dev, grant.id, { reason: "x" }), 403, "FORBIDDEN");
    await expectRefusal(
      await revoke(ada, "cm0nosuchgrant00000000000", { reason: "x" }),
      404,
      "NOT_FOUND",
    );
    const revoked = await ok(await revoke(ada, grant.id, { reason: "moved on" }), 200, ZGrant);
    expect(revoked).toMatchObject({ state: "revoked", revokeReason: "moved on" });
    await expectRefusal(await revoke(ada, grant.id, { reason: "again" }), 409, "CONFLICT");
  });

  it("removes an admin only with two admins, and never the last one", async () => {
    const [ada, ben, cat] = [
      await caller(["ADMIN"]),
      await caller(["ADMIN"]),
      await caller(["ADMIN"]),
    ];
    const catGrant = await grantOf(cat.id, "ADMIN");
    const path = `/api/v1/roles/${catGrant.id}`;

    expect(
      await expectRefusal(
        await call(ada, "POST", `${path}/revoke`, { reason: "alone" }),
        403,
        "FORBIDDEN",
      ),
    ).toMatch(/needs a second admin/);
    await expectRefusal(await call(ada, "POST", `${path}/revocation`, {}), 400, "VALIDATION");
    const asked = await ok(
      await call(ada, "POST", `${path}/revocation`, { reason: "left the team" }),
      200,
      ZGrant,
    );
    expect(asked.state).toBe("live");
    expect(asked.revocationRequest).toMatchObject({
      by: { id: ada.id },
      reason: "left the team",
    });
    await expectRefusal(
      await call(ben, "POST", `${path}/revocation`, { reason: "x" }),
      409,
      "CONFLICT",
    );
    expect(
      await expectRefusal(await call(ada, "POST", `${path}/revocation/confirm`), 403, "FORBIDDEN"),
    ).toMatch(/Another admin confirms/);

    // Withdrawn: nothing left to confirm.
    const withdrawn = await ok(await call(ben, "DELETE", `${path}/revocation`), 200, ZGrant);
    expect(withdrawn.revocationRequest).toBeNull();
    await expectRefusal(await call(ben, "DELETE", `${path}/revocation`), 409, "CONFLICT");
    await expectRefusal(await call(ben, "POST", `${path}/revocation/confirm`), 409, "CONFLICT");

    await ok(await call(ada, "POST", `${path}/revocation`, { reason: "left" }), 200, ZGrant);
    const gone = await ok(await call(ben, "POST", `${path}/revocation/confirm`), 200, ZGrant);
    expect(gone).toMatchObject({
      state: "revoked",
      revokedBy: { id: ben.id },
      revokeReason: "left",
    });
    await expectRefusal(await call(cat, "GET", "/api/v1/roles"), 403, "FORBIDDEN");

    // Ada asks to remove Ben, Ben confirms it himself (he did not ask): Ada is the last admin.
    const benPath = `/api/v1/roles/${(await grantOf(ben.id, "ADMIN")).id}`;
    await ok(await call(ada, "POST", `${benPath}/revocation`, { reason: "x" }), 200, ZGrant);
    await ok(await call(ben, "POST", `${benPath}/revocation/confirm`), 200, ZGrant);
    const adaPath = `/api/v1/roles/${(await grantOf(ada.id, "ADMIN")).id}`;
    expect(
      await expectRefusal(
        await call(ada, "POST", `${adaPath}/revocation`, { reason: "x" }),
        409,
        "CONFLICT",
      ),
    ).toMatch(/is the last admin/);

    // A grant that is not an admin's is revoked directly, not by request.
    const dev = await makePerson(["DEVELOPER"]);
    const devPath = `/api/v1/roles/${(await grantOf(dev.id, "DEVELOPER")).id}`;
    await expectRefusal(
      await call(ada, "POST", `${devPath}/revocation`, { reason: "x" }),
      400,
      "VALIDATION",
    );
    await expectRefusal(
      await call(ada, "DELETE", "/api/v1/roles/cm0nosuchgrant00000000000/revocation"),
      404,
      "NOT_FOUND",
    );
  });
});

describe("systems and the outbox over the API", () => {
  it("lists systems for everyone and changes a policy for admins", async () => {
    await addProcessSystems();
    const [ada, dev] = [await caller(["ADMIN"]), await caller(["DEVELOPER"])];
    const systems = await ok(await call(dev, "GET", "/api/v1/systems"), 200, z.array(ZSystem));
    expect(systems.map((s) => [s.slug, s.procedure, s.reviewsRequired])).toEqual([
      ["signer", "SIGNING_SERVER", 2],
      ["webdb", "WEBDB", 2],
    ]);
    const policy = { reviewsRequired: 3, testsRequired: 2, reason: "three eyes" };
    await expectRefusal(
      await call(dev, "PATCH", "/api/v1/systems/webdb", policy),
      403,
      "FORBIDDEN",
    );
    await expectRefusal(
      await call(ada, "PATCH", "/api/v1/systems/webdb", { ...policy, reviewsRequired: 1 }),
      400,
      "VALIDATION",
    );
    await expectRefusal(await call(ada, "PATCH", "/api/v1/systems/nope", policy), 404, "NOT_FOUND");
    const changed = await ok(
      await call(ada, "PATCH", "/api/v1/systems/webdb", policy),
      200,
      ZPolicyChange,
    );
    expect(changed).toEqual({
      slug: "webdb",
      reviewsRequired: 3,
      testsRequired: 2,
      from: { reviewsRequired: 2, testsRequired: 2 },
      patches: 0,
    });
  });

  it("lists the outbox with the page's words and retries a failed row", async () => {
    const [ada, dev] = [await caller(["ADMIN"]), await caller(["DEVELOPER"])];
    const nina = await ok(
      await call(ada, "POST", "/api/v1/users", { email: "nina@example.org", name: "Nina" }),
      201,
      ZUser,
    );
    const row = await db.outbox.findFirstOrThrow({ where: { kind: "user.password-link" } });
    await db.outbox.update({
      where: { id: row.id },
      data: { state: "FAILED", attempts: 5, lastError: "SMTP refused" },
    });

    await expectRefusal(await call(dev, "GET", "/api/v1/outbox"), 403, "FORBIDDEN");
    await expectRefusal(await call(ada, "GET", "/api/v1/outbox?state=LOST"), 400, "VALIDATION");
    const rows = await ok(await call(ada, "GET", "/api/v1/outbox"), 200, z.array(ZOutboxEntry));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: row.id,
      kind: "user.password-link",
      state: "FAILED",
      attempts: 5,
      lastError: "SMTP refused",
    });
    expect(rows[0].to).toContain(nina.email);
    expect(await (await call(ada, "GET", "/api/v1/outbox?state=DONE")).json()).toEqual([]);

    const retry = (who: TCaller, id: string) => call(who, "POST", `/api/v1/outbox/${id}/retry`);
    await expectRefusal(await retry(dev, row.id), 403, "FORBIDDEN");
    await expectRefusal(await retry(ada, "cm0nosuchrow0000000000000"), 404, "NOT_FOUND");
    expect(await ok(await retry(ada, row.id), 200, ZOutboxRetried)).toEqual({
      id: row.id,
      state: "PENDING",
    });
    await expectRefusal(await retry(ada, row.id), 409, "CONFLICT");
    expect(await db.auditEvent.count({ where: { action: "outbox.retried" } })).toBe(1);
  });
});
