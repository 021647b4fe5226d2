import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import { resetDatabase } from "../../../test/reset";
import { makePerson } from "../../../test/factories";
import { CLI_BOOTSTRAP, type TPersonActor } from "../../auth/actor";
import { loadActor } from "../../auth/load-actor";
import type { TRole } from "../../domain/roles";
import { setUserDisabled } from "../users/set-user-disabled";
import { revokeRole } from "./revoke-role";
import { requestRoleRevocation } from "./request-role-revocation";
import { confirmRoleRevocation } from "./confirm-role-revocation";
import { cancelRoleRevocation } from "./cancel-role-revocation";
import { revokeRoleByEmail } from "./revoke-role-by-email";

beforeEach(resetDatabase);

async function grantOf(person: TPersonActor, role: TRole = "ADMIN") {
  return db.roleGrant.findFirstOrThrow({ where: { userId: person.id, role, revokedAt: null } });
}
const liveAdmins = () =>
  db.roleGrant.count({ where: { role: "ADMIN", approvedAt: { not: null }, revokedAt: null } });

describe("removing an admin or critical-admin", () => {
  it("needs a second admin: one asks, a different one confirms, each audited", async () => {
    const [ada, ben, cat] = [
      await makePerson(["ADMIN"]),
      await makePerson(["ADMIN"]),
      await makePerson(["ADMIN"]),
    ];
    const grant = await grantOf(cat);
    await expect(revokeRole({ actor: ada, grantId: grant.id, reason: "alone" })).rejects.toThrow(
      /needs a second admin/,
    );
    expect(await liveAdmins()).toBe(3);

    await requestRoleRevocation({ actor: ada, grantId: grant.id, reason: "left the team" });
    expect((await loadActor(cat.id))?.roles).toEqual(["ADMIN"]);
    await expect(confirmRoleRevocation({ actor: ada, grantId: grant.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await confirmRoleRevocation({ actor: ben, grantId: grant.id });
    expect((await loadActor(cat.id))?.roles).toEqual([]);
    expect(await db.roleGrant.findUniqueOrThrow({ where: { id: grant.id } })).toMatchObject({
      revokedById: ben.id,
      revokeReason: "left the team",
      revokeRequestedById: ada.id,
    });
    const events = await db.auditEvent.findMany({
      where: { action: { startsWith: "role.revo" } },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ["role.revoke_requested", ada.id],
      ["role.revoked", ben.id],
    ]);
    expect(events[1].payload).toMatchObject({ requestedBy: ada.id, role: "ADMIN" });
  });

  it("applies to critical admins too; other roles keep the single-admin revoke", async () => {
    const [ada, ben] = [await makePerson(["ADMIN"]), await makePerson(["ADMIN"])];
    const crit = await makePerson(["CRITICAL_ADMIN", "TESTER"]);
    await makePerson(["CRITICAL_ADMIN"]);
    const critGrant = await grantOf(crit, "CRITICAL_ADMIN");
    await expect(
      revokeRole({ actor: ada, grantId: critGrant.id, reason: "x" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await revokeRole({ actor: ada, grantId: (await grantOf(crit, "TESTER")).id, reason: "x" });
    await requestRoleRevocation({ actor: ada, grantId: critGrant.id, reason: "moved on" });
    await cancelRoleRevocation({ actor: ben, grantId: critGrant.id });
    await expect(
      confirmRoleRevocation({ actor: ben, grantId: critGrant.id }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await loadActor(crit.id))?.roles).toEqual(["CRITICAL_ADMIN"]);
  });

  it("never removes the last admin, in the portal or by the CLI", async () => {
    const [ada, ben] = [await makePerson(["ADMIN"]), await makePerson(["ADMIN"])];
    const adaGrant = await grantOf(ada);
    const benGrant = await grantOf(ben);
    await requestRoleRevocation({ actor: ada, grantId: adaGrant.id, reason: "stepping down" });
    await confirmRoleRevocation({ actor: ben, grantId: adaGrant.id });
    // Ben is now the only admin: asking, the CLI and disabling him are all refused.
    await expect(
      requestRoleRevocation({ actor: ben, grantId: benGrant.id, reason: "x" }),
    ).rejects.toThrow(/is the last admin: nominate and approve another admin first/);
    const benEmail = (await db.user.findUniqueOrThrow({ where: { id: ben.id } })).email;
    await expect(
      revokeRoleByEmail({ actor: CLI_BOOTSTRAP, email: benEmail, role: "ADMIN", reason: "x" }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/last admin/) });
    await expect(
      setUserDisabled({ actor: CLI_BOOTSTRAP, userId: ben.id, disabled: true }),
    ).rejects.toThrow(/last admin/);
    expect(await liveAdmins()).toBe(1);
  });

  it("two confirmations at once never leave zero admins", async () => {
    const [ada, ben] = [await makePerson(["ADMIN"]), await makePerson(["ADMIN"])];
    const adaGrant = await grantOf(ada);
    const benGrant = await grantOf(ben);
    // Each asks to remove the other; each then confirms the request against themselves.
    await requestRoleRevocation({ actor: ada, grantId: benGrant.id, reason: "x" });
    await requestRoleRevocation({ actor: ben, grantId: adaGrant.id, reason: "y" });
    const results = await Promise.allSettled([
      confirmRoleRevocation({ actor: ada, grantId: adaGrant.id }),
      confirmRoleRevocation({ actor: ben, grantId: benGrant.id }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await liveAdmins()).toBe(1);
  });

  it("two operators' removals at once never leave zero admins", async () => {
    const people = [await makePerson(["ADMIN"]), await makePerson(["ADMIN"])];
    const emails = await Promise.all(
      people.map(async (p) => (await db.user.findUniqueOrThrow({ where: { id: p.id } })).email),
    );
    const results = await Promise.allSettled(
      emails.map((email) =>
        revokeRoleByEmail({ actor: CLI_BOOTSTRAP, email, role: "ADMIN", reason: "race" }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await liveAdmins()).toBe(1);
  });

  it("two admins disabling each other at once leave one admin enabled", async () => {
    const [ada, ben] = [await makePerson(["ADMIN"]), await makePerson(["ADMIN"])];
    const results = await Promise.allSettled([
      setUserDisabled({ actor: ada, userId: ben.id, disabled: true }),
      setUserDisabled({ actor: ben, userId: ada.id, disabled: true }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.user.count({ where: { disabledAt: null } })).toBe(1);
  });
});
