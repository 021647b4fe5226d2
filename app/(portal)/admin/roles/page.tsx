import { pageActor } from "@/lib/auth/require-actor";
import { listUsers } from "@/lib/server/users/list-users";
import { listRoster } from "@/lib/server/roles/list-roster";
import { isGuardedRole, ROLES, ROLE_LABEL } from "@/lib/domain/roles";
import { ActionForm } from "@/app/_components/action-form";
import {
  approveRoleAction,
  cancelRoleRevocationAction,
  confirmRoleRevocationAction,
  createUserAction,
  requestRoleRevocationAction,
  nominateRoleAction,
  revokeRoleAction,
  setUserDisabledAction,
} from "@/lib/actions/roles";
import { formatDateTime } from "@/lib/format";

export const metadata = { title: "Roles" };

export default async function RolesAdminPage() {
  const actor = await pageActor("roles:manage");
  const [users, grants] = await Promise.all([listUsers({ actor }), listRoster()]);
  const pending = grants.filter((g) => !g.approvedAt && !g.revokedAt);
  const live = grants.filter((g) => g.approvedAt && !g.revokedAt);
  const past = grants.filter((g) => g.revokedAt);

  return (
    <>
      <div className="page-head">
        <h1>Roles and accounts</h1>
        <p>
          Nominate, approve and revoke. Every step records who and when, and takes effect on the
          person&apos;s next request. Granting or removing an admin or critical admin takes two
          admins; the last one cannot be removed.
        </p>
      </div>

      <div className="grid-2">
        <section className="panel">
          <h2>Nominate</h2>
          <ActionForm action={nominateRoleAction} submit="Nominate">
            <label>
              Person
              <select name="userId" required>
                {users.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({u.email})
                  </option>
                ))}
              </select>
            </label>
            <label>
              Role
              <select name="role" required>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABEL[r]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Note
              <input name="note" placeholder="Why this person" />
            </label>
          </ActionForm>
        </section>
        <section className="panel">
          <h2>New account</h2>
          <ActionForm action={createUserAction} submit="Create account">
            <label>
              Name
              <input name="name" required />
            </label>
            <label>
              Email
              <input name="email" type="email" required />
            </label>
            <p className="small muted">
              The person gets a one-time link by mail to choose their own password.
            </p>
          </ActionForm>
        </section>
      </div>

      <section className="panel" aria-labelledby="pending-h">
        <h2 id="pending-h">
          Waiting for approval <span className="chip warn">{pending.length}</span>
        </h2>
        {pending.length === 0 ? (
          <p className="muted">No open nominations.</p>
        ) : (
          <table className="list">
            <thead>
              <tr>
                <th>Person</th>
                <th>Role</th>
                <th>Nominated</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {pending.map((g) => (
                <tr key={g.id}>
                  <td>{g.user.name}</td>
                  <td>{ROLE_LABEL[g.role]}</td>
                  <td>
                    {g.nominatedBy?.name ?? g.nominatedVia}, {formatDateTime(g.nominatedAt)}
                    {g.note && <div className="small muted">{g.note}</div>}
                  </td>
                  <td>
                    {g.userId !== actor.id && g.nominatedById !== actor.id && (
                      <ActionForm
                        action={approveRoleAction}
                        className="inline"
                        submit="Approve"
                        submitClass="small"
                      >
                        <input type="hidden" name="grantId" value={g.id} />
                      </ActionForm>
                    )}
                    <ActionForm
                      action={revokeRoleAction}
                      className="inline"
                      submit="Withdraw"
                      submitClass="danger small"
                    >
                      <input type="hidden" name="grantId" value={g.id} />
                      <input type="hidden" name="reason" value="nomination withdrawn" />
                    </ActionForm>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" aria-labelledby="live-h">
        <h2 id="live-h">Active grants</h2>
        <table className="list">
          <thead>
            <tr>
              <th>Person</th>
              <th>Role</th>
              <th>Nominated</th>
              <th>Approved</th>
              <th>Revoke</th>
            </tr>
          </thead>
          <tbody>
            {live.map((g) => (
              <tr key={g.id}>
                <td>
                  {g.user.name}
                  {g.user.disabledAt && <span className="chip bad"> disabled</span>}
                </td>
                <td>{ROLE_LABEL[g.role]}</td>
                <td className="small">
                  {g.nominatedBy?.name ?? g.nominatedVia}
                  <br />
                  {formatDateTime(g.nominatedAt)}
                </td>
                <td className="small">
                  {g.approvedBy?.name ?? g.approvedVia}
                  <br />
                  {g.approvedAt && formatDateTime(g.approvedAt)}
                </td>
                <td>
                  {g.revokeRequestedAt ? (
                    <div data-testid="removal-request">
                      <div className="small">
                        Removal asked by {g.revokeRequestedBy?.name ?? "?"},{" "}
                        {formatDateTime(g.revokeRequestedAt)}: {g.revokeRequestReason}
                      </div>
                      {g.revokeRequestedById !== actor.id && (
                        <ActionForm
                          action={confirmRoleRevocationAction}
                          className="inline"
                          submit="Confirm removal"
                          submitClass="danger small"
                        >
                          <input type="hidden" name="grantId" value={g.id} />
                        </ActionForm>
                      )}
                      <ActionForm
                        action={cancelRoleRevocationAction}
                        className="inline"
                        submit="Withdraw request"
                        submitClass="small secondary"
                      >
                        <input type="hidden" name="grantId" value={g.id} />
                      </ActionForm>
                    </div>
                  ) : (
                    <ActionForm
                      action={
                        isGuardedRole(g.role) ? requestRoleRevocationAction : revokeRoleAction
                      }
                      className="inline"
                      submit={isGuardedRole(g.role) ? "Ask to revoke" : "Revoke"}
                      submitClass="danger small"
                    >
                      <input type="hidden" name="grantId" value={g.id} />
                      <input
                        name="reason"
                        placeholder="reason"
                        required
                        aria-label={`Reason to revoke ${g.user.name} as ${ROLE_LABEL[g.role]}`}
                      />
                    </ActionForm>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel" aria-labelledby="accounts-h">
        <h2 id="accounts-h">Accounts</h2>
        <table className="list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>
                  {u.disabledAt ? (
                    <span className="chip bad">disabled {formatDateTime(u.disabledAt)}</span>
                  ) : (
                    <span className="chip ok">active</span>
                  )}
                </td>
                <td>
                  {u.id !== actor.id && (
                    <ActionForm
                      action={setUserDisabledAction}
                      className="inline"
                      submit={u.disabledAt ? "Enable" : "Disable"}
                      submitClass={u.disabledAt ? "small secondary" : "danger small"}
                    >
                      <input type="hidden" name="userId" value={u.id} />
                      <input
                        type="hidden"
                        name="disabled"
                        value={u.disabledAt ? "false" : "true"}
                      />
                    </ActionForm>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {past.length > 0 && (
        <section className="panel" aria-labelledby="revoked-h">
          <h2 id="revoked-h">Revoked</h2>
          <table className="list">
            <thead>
              <tr>
                <th>Person</th>
                <th>Role</th>
                <th>Revoked</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {past.map((g) => (
                <tr key={g.id}>
                  <td>{g.user.name}</td>
                  <td>{ROLE_LABEL[g.role]}</td>
                  <td className="small">
                    {g.revokedBy?.name ?? "cli"}, {g.revokedAt && formatDateTime(g.revokedAt)}
                  </td>
                  <td className="small">{g.revokeReason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
