import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { makePerson, makeToken } from "../../../test/factories";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { apiRoute } from "../../api/handler";
import { createUser } from "../users/create-user";
import { changePassword } from "../users/change-password";
import { setUserDisabled } from "../users/set-user-disabled";
import { createToken } from "./create-token";
import { revokeToken } from "./revoke-token";
import { authenticateToken } from "./authenticate-token";

const PASSWORD = "alices-password-1";

// A route that answers 200 for whoever apiRoute lets through: the scope check is apiRoute's.
const route = apiRoute(async ({ actor }) => Response.json({ id: actor.id }));
const call = (method: string, token: string) =>
  route(
    new Request("http://localhost/api/v1/anything", {
      method,
      headers: { authorization: `Bearer ${token}` },
    }),
    {},
  );

describe("API tokens", () => {
  beforeEach(resetDatabase);

  it("are stored only as a hash, work until revoked, and record their last use", async () => {
    const alice = await makePerson(["DEVELOPER"], { password: PASSWORD });
    const { id, token } = await createToken({
      actor: alice,
      name: "laptop",
      password: PASSWORD,
      scope: "sign",
    });
    const row = await db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row).toMatchObject({ scope: "SIGN", expiresAt: null, lastUsedAt: null });

    expect((await authenticateToken(token, "POST"))?.id).toBe(alice.id);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).toBeInstanceOf(
      Date,
    );
    await revokeToken({ actor: alice, tokenId: id });
    expect(await authenticateToken(token, "GET")).toBeNull();
  });

  it("are not created without the owner's password, nor with a wrong one", async () => {
    const alice = await makePerson(["DEVELOPER"], { password: PASSWORD });
    await expect(
      createToken({ actor: alice, name: "laptop", password: "", scope: "read" }),
    ).rejects.toThrow(/Enter your password/);
    await expect(
      createToken({ actor: alice, name: "laptop", password: "not-her-password", scope: "read" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.apiToken.count()).toBe(0);
  });

  it("are refused after their owner changes the password", async () => {
    const alice = await makePerson(["DEVELOPER"], { password: PASSWORD });
    const { token } = await createToken({
      actor: alice,
      name: "ci",
      password: PASSWORD,
      scope: "sign",
    });
    await changePassword({
      actor: alice,
      current: PASSWORD,
      next: "a-new-password-2",
      repeat: "a-new-password-2",
    });
    expect(await authenticateToken(token, "GET")).toBeNull();
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "token.revoked_all" } });
    expect(event.payload).toMatchObject({ userId: alice.id, count: 1, reason: "password_changed" });
  });

  it("stay dead after their owner is disabled and enabled again", async () => {
    const admin = await makePerson(["ADMIN"]);
    const tom = await makePerson(["TESTER"]);
    const token = await makeToken(tom);
    await setUserDisabled({ actor: admin, userId: tom.id, disabled: true });
    await setUserDisabled({ actor: admin, userId: tom.id, disabled: false });
    expect(await authenticateToken(token, "GET")).toBeNull();
    expect((await call("GET", token)).status).toBe(401);
  });

  it("expire: an expired token is refused with 401 like a revoked one", async () => {
    const alice = await makePerson(["DEVELOPER"], { password: PASSWORD });
    const { id, token, expiresAt } = await createToken({
      actor: alice,
      name: "week",
      password: PASSWORD,
      scope: "sign",
      expiresInDays: 7,
    });
    expect(expiresAt!.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect((await call("GET", token)).status).toBe(200);
    await db.apiToken.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await call("GET", token);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("UNAUTHENTICATED");
  });

  it("with the read scope may GET but are refused on POST with a clear 403", async () => {
    const alice = await makePerson(["DEVELOPER"], { password: PASSWORD });
    const { token } = await createToken({
      actor: alice,
      name: "dashboard",
      password: PASSWORD,
      scope: "read",
    });
    expect((await call("GET", token)).status).toBe(200);
    expect((await call("HEAD", token)).status).toBe(200);
    for (const method of ["POST", "PUT", "DELETE"]) {
      const res = await call(method, token);
      expect(res.status).toBe(403);
      expect((await res.json()).error).toMatchObject({
        code: "FORBIDDEN",
        message: expect.stringMatching(/read scope: it may only make GET and HEAD requests/),
      });
    }
    const sign = await makeToken(alice, { scope: "SIGN" });
    expect((await call("POST", sign)).status).toBe(200);
  });

  it("made by the operator's CLI (`user add --token`) have the sign scope", async () => {
    const { user, token } = await createUser({
      actor: CLI_BOOTSTRAP,
      email: "ci@example.org",
      name: "CI",
      roles: ["DEVELOPER"],
      withToken: true,
    });
    expect(await db.apiToken.findFirstOrThrow({ where: { userId: user.id } })).toMatchObject({
      scope: "SIGN",
      expiresAt: null,
    });
    expect((await call("POST", token!)).status).toBe(200);
  });

  it("refuse wrong, malformed and missing tokens", async () => {
    const alice = await makePerson(["DEVELOPER"]);
    const token = await makeToken(alice);
    const wrong = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    expect(await authenticateToken(wrong, "GET")).toBeNull();
    expect(await authenticateToken("Bearer " + token, "GET")).toBeNull();
    expect(await authenticateToken("", "GET")).toBeNull();
    expect(await authenticateToken(undefined, "GET")).toBeNull();
  });

  it("of someone else cannot be revoked", async () => {
    const alice = await makePerson(["DEVELOPER"], { password: PASSWORD });
    const bob = await makePerson(["DEVELOPER"]);
    const { id } = await createToken({
      actor: alice,
      name: "laptop",
      password: PASSWORD,
      scope: "read",
    });
    await expect(revokeToken({ actor: bob, tokenId: id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
