"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "../auth/require-actor";
import { nominateRole, ZNominateRole } from "../server/roles/nominate-role";
import { approveRole } from "../server/roles/approve-role";
import { revokeRole } from "../server/roles/revoke-role";
import {
  requestRoleRevocation,
  ZRequestRoleRevocation,
} from "../server/roles/request-role-revocation";
import {
  confirmRoleRevocation,
  ZConfirmRoleRevocation,
} from "../server/roles/confirm-role-revocation";
import {
  cancelRoleRevocation,
  ZCancelRoleRevocation,
} from "../server/roles/cancel-role-revocation";
import { setUserDisabled } from "../server/users/set-user-disabled";
import { createUser } from "../server/users/create-user";
import { toActionResult, formFields, parseForm, type TActionResult } from "./action-result";

// Each action authorizes inside the use-case: these are public endpoints.
function done() {
  revalidatePath("/admin/roles");
  revalidatePath("/roster");
}

export async function nominateRoleAction(_prev: TActionResult, form: FormData) {
  return toActionResult(async () => {
    const actor = await requireActor();
    await nominateRole({ actor, ...parseForm(ZNominateRole, form) });
    done();
    return undefined;
  }, "Nominated; the nomination counts once another admin approves it.");
}

export async function approveRoleAction(_prev: TActionResult, form: FormData) {
  return toActionResult(async () => {
    await approveRole({ actor: await requireActor(), grantId: formFields(form).grantId ?? "" });
    done();
    return undefined;
  }, "Approved.");
}

export async function revokeRoleAction(_prev: TActionResult, form: FormData) {
  const f = formFields(form);
  return toActionResult(async () => {
    await revokeRole({
      actor: await requireActor(),
      grantId: f.grantId ?? "",
      reason: f.reason ?? "",
    });
    done();
    return undefined;
  }, "Revoked.");
}

export async function requestRoleRevocationAction(_prev: TActionResult, form: FormData) {
  return toActionResult(async () => {
    const actor = await requireActor();
    await requestRoleRevocation({ actor, ...parseForm(ZRequestRoleRevocation, form) });
    done();
    return undefined;
  }, "Removal asked; it takes effect once another admin confirms it.");
}

export async function confirmRoleRevocationAction(_prev: TActionResult, form: FormData) {
  return toActionResult(async () => {
    const actor = await requireActor();
    await confirmRoleRevocation({ actor, ...parseForm(ZConfirmRoleRevocation, form) });
    done();
    return undefined;
  }, "Removal confirmed; the role is revoked.");
}

export async function cancelRoleRevocationAction(_prev: TActionResult, form: FormData) {
  return toActionResult(async () => {
    const actor = await requireActor();
    await cancelRoleRevocation({ actor, ...parseForm(ZCancelRoleRevocation, form) });
    done();
    return undefined;
  }, "Removal request withdrawn.");
}

export async function setUserDisabledAction(_prev: TActionResult, form: FormData) {
  const f = formFields(form);
  return toActionResult(
    async () => {
      await setUserDisabled({
        actor: await requireActor(),
        userId: f.userId ?? "",
        disabled: f.disabled === "true",
        reason: f.reason || undefined,
      });
      done();
      return undefined;
    },
    f.disabled === "true" ? "Account disabled." : "Account enabled.",
  );
}

export async function createUserAction(_prev: TActionResult, form: FormData) {
  const f = formFields(form);
  return toActionResult(async () => {
    await createUser({
      actor: await requireActor(),
      email: f.email ?? "",
      name: f.name ?? "",
      roles: [],
    });
    done();
    return undefined;
  }, "Account created; a link to choose a password is on its way by mail. Nominate it for roles below.");
}
