import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { db } from "../db";
import { resetDatabase } from "../../test/reset";
import { makePerson, makeToken } from "../../test/factories";
import { makeKey, revokedPublicKey } from "../../test/pgp-fixtures";
import { startApiServer } from "../../test/api-server";
import { expectRefusal, expectShape } from "../../test/api-shape";
import { loadActor } from "../auth/load-actor";
import { createToken } from "../server/tokens/create-token";
import { ZKeyEntry, ZMe, ZNewToken, ZToken } from "./openapi-account";

// The account routes (issue 18) as a client calls them: the route modules Next serves,
// behind a plain HTTP server, with personal API tokens; each answer checked against the
// schema the OpenAPI document gives for it.

const PASSWORD = "alices-password-1";
const DAY_MS = 24 * 60 * 60 * 1000;

let api: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  api = await startApiServer();
});
afterAll(async () => {
  await api?.close();
});
beforeEach(resetDatabase);

function call(token: string | null, method: string, path: string, body?: unknown) {
  return fetch(`${api.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      "content-type": "application/json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe("GET /me and keys over the API", () => {
  it("lists, registers and removes the caller's own keys, and only theirs", async () => {
    const alice = await makePerson(["DEVELOPER"]);
    const bob = await makePerson(["DEVELOPER"]);
    const [token, bobToken] = [await makeToken(alice), await makeToken(bob)];

    await expectRefusal(await call(null, "GET", "/api/v1/me/keys"), 401, "UNAUTHENTICATED");
    let res = await call(token, "GET", "/api/v1/me/keys");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);

    const { publicKey, fingerprint } = await makeKey({ email: alice.email });
    res = await call(token, "POST", "/api/v1/me/keys", { armored: publicKey });
    expect(res.status).toBe(201);
    const entry = await res.json();
    expectShape(ZKeyEntry, entry);
    expect(entry).toMatchObject({ fingerprint, expiresAt: null, revokedAt: null });

    // The same key again, or to another account: the registration's refusal, as on the page.
    await expectRefusal(
      await call(token, "POST", "/api/v1/me/keys", { armored: publicKey }),
      422,
      "KEY_REFUSED",
    );
    await expectRefusal(
      await call(bobToken, "POST", "/api/v1/me/keys", { armored: publicKey }),
      422,
      "KEY_REFUSED",
    );
    await expectRefusal(
      await call(token, "POST", "/api/v1/me/keys", { armored: await revokedPublicKey() }),
      422,
      "KEY_REFUSED",
    );
    await expectRefusal(await call(token, "POST", "/api/v1/me/keys", {}), 400, "VALIDATION");
    const read = await makeToken(alice, { scope: "READ" });
    await expectRefusal(
      await call(read, "POST", "/api/v1/me/keys", { armored: publicKey }),
      403,
      "FORBIDDEN",
    );

    res = await call(token, "GET", "/api/v1/me/keys");
    const keys = await res.json();
    expectShape(z.array(ZKeyEntry), keys);
    expect(keys).toEqual([entry]);
    res = await call(token, "GET", "/api/v1/me");
    const me = await res.json();
    expectShape(ZMe, me);
    expect(me).toMatchObject({ id: alice.id, roles: ["developer"], keys: [{ fingerprint }] });

    // Another person's key is not found; spaces and lower case in the fingerprint are forgiven.
    await expectRefusal(
      await call(bobToken, "DELETE", `/api/v1/me/keys/${fingerprint}`),
      404,
      "NOT_FOUND",
    );
    await expectRefusal(await call(token, "DELETE", "/api/v1/me/keys/not-hex"), 400, "VALIDATION");
    const spaced = fingerprint
      .toLowerCase()
      .replace(/(.{4})/g, "$1 ")
      .trim();
    res = await call(token, "DELETE", `/api/v1/me/keys/${encodeURIComponent(spaced)}`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    await expectRefusal(
      await call(token, "DELETE", `/api/v1/me/keys/${fingerprint}`),
      409,
      "CONFLICT",
    );
    expect(await (await call(token, "GET", "/api/v1/me/keys")).json()).toEqual([]);
    expect(
      (await db.pgpKey.findUniqueOrThrow({ where: { fingerprint } })).removedAt,
    ).not.toBeNull();
    expect(await db.auditEvent.count({ where: { action: "key.removed" } })).toBe(1);
  });

  it("updates a key with its revocation through the entry's own schema", async () => {
    const alice = await makePerson(["DEVELOPER"]);
    const token = await makeToken(alice);
    const { publicKey, fingerprint, revocationCertificate } = await makeKey({
      email: alice.email,
    });
    expect((await call(token, "POST", "/api/v1/me/keys", { armored: publicKey })).status).toBe(201);
    const res = await call(token, "POST", `/api/v1/me/keys/${fingerprint}`, {
      armored: revocationCertificate,
    });
    expect(res.status).toBe(200);
    const entry = await res.json();
    expectShape(ZKeyEntry, entry);
    expect(entry.revokedAt).not.toBeNull();
    await expectRefusal(
      await call(token, "POST", `/api/v1/me/keys/${"0".repeat(40)}`, { armored: publicKey }),
      404,
      "NOT_FOUND",
    );
  });
});

describe("tokens over the API", () => {
  it("lists without secrets, creates with the password, revokes", async () => {
    const alice = await makePerson(["DEVELOPER"], { password: PASSWORD });
    const token = await makeToken(alice);

    let res = await call(token, "POST", "/api/v1/me/tokens", {
      name: "ci",
      password: PASSWORD,
      scope: "read",
      expiresInDays: 30,
    });
    expect(res.status).toBe(201);
    const made = await res.json();
    expectShape(ZNewToken, made);
    expect(made).toMatchObject({ name: "ci", scope: "read", prefix: made.token.slice(0, 10) });
    expect(new Date(made.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * DAY_MS);

    // The new read token looks but changes nothing.
    res = await call(made.token, "GET", "/api/v1/me/tokens");
    expect(res.status).toBe(200);
    const list = await res.json();
    expectShape(z.array(ZToken), list);
    expect(list.map((t: { name: string }) => t.name)).toEqual(["ci", "test"]);
    expect(JSON.stringify(list)).not.toContain(made.token);
    await expectRefusal(
      await call(made.token, "POST", "/api/v1/me/tokens", {
        name: "x",
        password: PASSWORD,
        scope: "read",
      }),
      403,
      "FORBIDDEN",
    );

    await expectRefusal(
      await call(token, "POST", "/api/v1/me/tokens", {
        name: "ci",
        password: "not-her-password",
        scope: "sign",
      }),
      403,
      "FORBIDDEN",
    );
    expect(
      await expectRefusal(
        await call(token, "POST", "/api/v1/me/tokens", { name: "ci", scope: "admin" }),
        400,
        "VALIDATION",
      ),
    ).toMatch(/password/);

    // Another person's token is not found; the caller's own goes once.
    const bob = await makePerson(["DEVELOPER"]);
    await expectRefusal(
      await call(await makeToken(bob), "DELETE", `/api/v1/me/tokens/${made.id}`),
      404,
      "NOT_FOUND",
    );
    res = await call(token, "DELETE", `/api/v1/me/tokens/${made.id}`);
    expect(res.status).toBe(204);
    await expectRefusal(
      await call(token, "DELETE", `/api/v1/me/tokens/${made.id}`),
      409,
      "CONFLICT",
    );
    await expectRefusal(await call(made.token, "GET", "/api/v1/me/tokens"), 401, "UNAUTHENTICATED");
    expect(await db.auditEvent.count({ where: { action: "token.revoked" } })).toBe(1);
  });

  it("never mints a token that outlives the calling token", async () => {
    const alice = await makePerson(["DEVELOPER"], { password: PASSWORD });
    const expiresAt = new Date(Date.now() + 10 * DAY_MS);
    const token = await makeToken(alice, { expiresAt });
    const ask = (extra: object) =>
      call(token, "POST", "/api/v1/me/tokens", {
        name: "child",
        password: PASSWORD,
        scope: "sign",
        ...extra,
      });

    expect(await expectRefusal(await ask({ expiresInDays: 11 }), 403, "FORBIDDEN")).toMatch(
      /cannot create one that outlives it/,
    );
    expect(await db.apiToken.count()).toBe(1);

    // Without an expiry it expires with the calling token; a shorter one is kept.
    let res = await ask({});
    expect(res.status).toBe(201);
    expect((await res.json()).expiresAt).toBe(expiresAt.toISOString());
    res = await ask({ expiresInDays: 9 });
    expect(res.status).toBe(201);
    expect(new Date((await res.json()).expiresAt).getTime()).toBeLessThan(expiresAt.getTime());

    // apiRoute lets no read token POST; the use-case holds the scope line on its own too.
    await expect(
      createToken({
        actor: alice,
        via: { id: "t", scope: "read", expiresAt: null },
        name: "up",
        password: PASSWORD,
        scope: "sign",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    // A token without expiry may make one without expiry, as the profile page may.
    const lasting = await makeToken(alice);
    res = await call(lasting, "POST", "/api/v1/me/tokens", {
      name: "forever",
      password: PASSWORD,
      scope: "sign",
    });
    expect((await res.json()).expiresAt).toBeNull();
  });
});

describe("POST /me/password", () => {
  it("changes the password and ends every session and token, the calling one too", async () => {
    const alice = await makePerson(["DEVELOPER"], { password: PASSWORD });
    const [token, other] = [await makeToken(alice), await makeToken(alice)];
    const before = await db.user.findUniqueOrThrow({ where: { id: alice.id } });

    await expectRefusal(
      await call(token, "POST", "/api/v1/me/password", {
        current: "wrong-password-1",
        next: "a-new-password-2",
        repeat: "a-new-password-2",
      }),
      403,
      "FORBIDDEN",
    );
    expect(
      await expectRefusal(
        await call(token, "POST", "/api/v1/me/password", {
          current: PASSWORD,
          next: "a-new-password-2",
          repeat: "a-new-password-3",
        }),
        400,
        "VALIDATION",
      ),
    ).toMatch(/differ/);
    await expectRefusal(
      await call(await makeToken(alice, { scope: "READ" }), "POST", "/api/v1/me/password", {
        current: PASSWORD,
        next: "a-new-password-2",
        repeat: "a-new-password-2",
      }),
      403,
      "FORBIDDEN",
    );

    const res = await call(token, "POST", "/api/v1/me/password", {
      current: PASSWORD,
      next: "a-new-password-2",
      repeat: "a-new-password-2",
    });
    expect(res.status).toBe(204);
    // As after the password page: the session version moved on, every token is revoked.
    expect(await loadActor(alice.id, before.sessionVersion)).toBeNull();
    expect(await db.apiToken.count({ where: { userId: alice.id, revokedAt: null } })).toBe(0);
    await expectRefusal(await call(token, "GET", "/api/v1/me"), 401, "UNAUTHENTICATED");
    await expectRefusal(await call(other, "GET", "/api/v1/me"), 401, "UNAUTHENTICATED");
    expect(
      (await db.auditEvent.findMany({ where: { subjectId: alice.id } })).map((e) => e.action),
    ).toEqual(expect.arrayContaining(["user.password_changed", "token.revoked_all"]));
  });
});
