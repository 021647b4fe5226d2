import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { makePerson, makeToken } from "../../../test/factories";
import { makeKey } from "../../../test/pgp-fixtures";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { loadActor } from "../../auth/load-actor";
import { createUser } from "./create-user";
import { setUserDisabled } from "./set-user-disabled";
import { nominateRole } from "../roles/nominate-role";
import { approveRole } from "../roles/approve-role";
import { revokeRole } from "../roles/revoke-role";
import { listRoster } from "../roles/list-roster";
import { authenticateToken } from "../tokens/authenticate-token";
import { addSystem } from "../systems/add-system";
import { changePassword } from "./change-password";
import { verifyPassword } from "../../crypto/password";

describe("users created by the CLI bootstrap", () => {
  beforeEach(resetDatabase);

  it("get approved grants recorded as the bootstrap's, a key and a token, all audited", async () => {
    const { publicKey, fingerprint } = await makeKey({ email: "alice@example.org" });
    const { user, token } = await createUser({
      actor: CLI_BOOTSTRAP,
      email: "Alice@Example.org",
      name: "Alice",
      roles: ["ASSESSOR", "TESTER"],
      password: "correct horse battery",
      pgpKey: publicKey,
      withToken: true,
    });
    expect(user.email).toBe("alice@example.org");
    const grants = await db.roleGrant.findMany({ where: { userId: user.id } });
    expect(grants.map((g) => g.role).sort()).toEqual(["ASSESSOR", "TESTER"]);
    for (const g of grants)
      expect(g).toMatchObject({
        approvedVia: "cli-bootstrap",
        nominatedVia: "cli-bootstrap",
        approvedById: null,
      });
    expect(await db.pgpKey.findFirst({ where: { userId: user.id } })).toMatchObject({
      fingerprint,
    });
    expect((await authenticateToken(token, "POST"))?.id).toBe(user.id);
    const actions = (await db.auditEvent.findMany({ orderBy: { seq: "asc" } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual([
      "user.created",
      "role.approved",
      "role.approved",
      "key.registered",
      "token.created",
    ]);
  });

  it("writes nothing when any part is refused", async () => {
    const { privateKey } = await makeKey();
    await expect(
      createUser({
        actor: CLI_BOOTSTRAP,
        email: "bob@example.org",
        name: "Bob",
        roles: ["TESTER"],
        pgpKey: privateKey,
      }),
    ).rejects.toMatchObject({ code: "KEY_REFUSED" });
    await createUser({
      actor: CLI_BOOTSTRAP,
      email: "carol@example.org",
      name: "Carol",
      roles: [],
    });
    await expect(
      createUser({
        actor: CLI_BOOTSTRAP,
        email: "carol@example.org",
        name: "Carol 2",
        roles: ["ADMIN"],
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db.user.count()).toBe(1);
    expect(await db.roleGrant.count()).toBe(0);
  });

  it("may not be created by someone who is not an admin", async () => {
    const tester = await makePerson(["TESTER"]);
    await expect(
      createUser({ actor: tester, email: "x@example.org", name: "X", roles: ["ADMIN"] }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("role nominations (P2)", () => {
  beforeEach(resetDatabase);

  it("count only once approved, record who and when, and stop counting when revoked", async () => {
    const admin = await makePerson(["ADMIN"]);
    const dave = await makePerson([]);
    const grant = await nominateRole({
      actor: admin,
      userId: dave.id,
      role: "ASSESSOR",
      note: "long-time contributor",
    });
    expect((await loadActor(dave.id))?.roles).toEqual([]);

    // Four eyes: the nominating admin cannot approve their own nomination.
    await expect(approveRole({ actor: admin, grantId: grant.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const secondAdmin = await makePerson(["ADMIN"]);
    await approveRole({ actor: secondAdmin, grantId: grant.id });
    expect((await loadActor(dave.id))?.roles).toEqual(["ASSESSOR"]);
    const roster = await listRoster();
    const row = roster.find((r) => r.id === grant.id)!;
    expect(row.nominatedBy?.name).toBe(admin.name);
    expect(row.approvedBy?.name).toBe(secondAdmin.name);
    expect(row.approvedAt).toBeInstanceOf(Date);

    await revokeRole({ actor: admin, grantId: grant.id, reason: "left the team" });
    expect((await loadActor(dave.id))?.roles).toEqual([]);
    await expect(
      revokeRole({ actor: admin, grantId: grant.id, reason: "again" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("refuse a second live nomination for the same role, self-approval and non-admins", async () => {
    const admin = await makePerson(["ADMIN"]);
    const eve = await makePerson(["TESTER"]);
    await expect(
      nominateRole({ actor: admin, userId: eve.id, role: "TESTER" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    const own = await nominateRole({ actor: admin, userId: admin.id, role: "ARBITRATOR" });
    await expect(approveRole({ actor: admin, grantId: own.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(nominateRole({ actor: eve, userId: eve.id, role: "ADMIN" })).rejects.toMatchObject(
      { code: "FORBIDDEN" },
    );
    await expect(approveRole({ actor: eve, grantId: own.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("a disabled user", () => {
  beforeEach(resetDatabase);

  it("loses their session and their tokens at once; re-enabling gives back neither", async () => {
    const admin = await makePerson(["ADMIN"]);
    const tom = await makePerson(["TESTER"]);
    const token = await makeToken(tom);
    const before = await db.user.findUniqueOrThrow({ where: { id: tom.id } });
    expect(await loadActor(tom.id, before.sessionVersion)).not.toBeNull();

    await setUserDisabled({ actor: admin, userId: tom.id, disabled: true, reason: "left" });
    expect(await loadActor(tom.id, before.sessionVersion)).toBeNull();
    expect(await authenticateToken(token, "GET")).toBeNull();

    await setUserDisabled({ actor: admin, userId: tom.id, disabled: false });
    // Neither the old session nor the old token comes back: sign in anew, make a new token.
    expect(await authenticateToken(token, "GET")).toBeNull();
    expect(await loadActor(tom.id, before.sessionVersion)).toBeNull();
    const after = await db.user.findUniqueOrThrow({ where: { id: tom.id } });
    expect(await loadActor(tom.id, after.sessionVersion)).not.toBeNull();
    const revokedAll = await db.auditEvent.findFirstOrThrow({
      where: { action: "token.revoked_all", subjectId: tom.id },
    });
    expect(revokedAll.payload).toMatchObject({ count: 1, reason: "disabled" });
  });

  it("cannot be disabled by a non-admin, nor an admin by themselves", async () => {
    const admin = await makePerson(["ADMIN"]);
    const tom = await makePerson(["TESTER"]);
    await expect(
      setUserDisabled({ actor: tom, userId: admin.id, disabled: true }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      setUserDisabled({ actor: admin, userId: admin.id, disabled: true }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("target systems", () => {
  beforeEach(resetDatabase);

  it("default to two reviews, two tests and the webdb procedure", async () => {
    const system = await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "CAcert webdb" });
    expect(system).toMatchObject({ reviewsRequired: 2, testsRequired: 2, procedure: "WEBDB" });
    await expect(
      addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "again" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(addSystem({ actor: CLI_BOOTSTRAP, slug: "Bad Slug", name: "x" })).rejects.toThrow(
      /Slug/,
    );
    const dev = await makePerson(["DEVELOPER"]);
    await expect(addSystem({ actor: dev, slug: "other", name: "x" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("a temporary password (accounts made before set-your-password links)", () => {
  beforeEach(resetDatabase);

  it("refuses tokens until its owner sets their own, which ends every session and token", async () => {
    const person = await makePerson([], { password: "given-by-admin-1" });
    await db.user.update({ where: { id: person.id }, data: { mustChangePassword: true } });
    const before = await db.user.findUniqueOrThrow({ where: { id: person.id } });
    const nina = (await loadActor(person.id, before.sessionVersion))!;
    expect(nina.mustChangePassword).toBe(true);

    // Even a token made for her (by whatever path) is refused while the password is temporary.
    const token = await makeToken(nina);
    expect(await authenticateToken(token, "GET")).toBeNull();

    await expect(
      changePassword({
        actor: nina,
        current: "wrong-password",
        next: "my-own-password-1",
        repeat: "my-own-password-1",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      changePassword({
        actor: nina,
        current: "given-by-admin-1",
        next: "my-own-password-1",
        repeat: "typo",
      }),
    ).rejects.toThrow(/differ/);
    await changePassword({
      actor: nina,
      current: "given-by-admin-1",
      next: "my-own-password-1",
      repeat: "my-own-password-1",
    });

    const after = await db.user.findUniqueOrThrow({ where: { id: person.id } });
    expect(after.mustChangePassword).toBe(false);
    expect(await loadActor(person.id, before.sessionVersion)).toBeNull();
    // A token made while the password was someone else's does not survive it.
    expect(await authenticateToken(token, "GET")).toBeNull();
    expect(await verifyPassword(after.passwordHash!, "my-own-password-1")).toBe(true);
    expect(
      await db.auditEvent.count({
        where: { action: "user.password_changed", subjectId: person.id },
      }),
    ).toBe(1);
  });

  it("is not temporary when the operator's CLI set it", async () => {
    const { user } = await createUser({
      actor: CLI_BOOTSTRAP,
      email: "op@example.org",
      name: "Op",
      password: "operator-chosen-1",
      roles: ["ADMIN"],
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).mustChangePassword).toBe(
      false,
    );
  });
});
