import Link from "next/link";
import { pageActor } from "@/lib/auth/require-actor";
import { can } from "@/lib/domain/permissions";
import { ROLE_LABEL } from "@/lib/domain/roles";
import { signOutAction } from "@/lib/actions/auth";

// Convenience only: each page and action below checks authorization itself.
export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const actor = await pageActor();
  return (
    <>
      <header className="topbar">
        <Link href="/" className="brand">
          <span className="brand-mark" /> Patchgate
        </Link>
        <nav>
          <Link href="/">Overview</Link>
          <Link href="/patches">Patches</Link>
          <Link href="/queue">Waiting for me</Link>
          <Link href="/roster">Teams</Link>
          <Link href="/emergencies/open">Emergencies</Link>
          <Link href="/hotfixes">Hotfixes</Link>
          {can(actor.roles, "package:read") && <Link href="/installations">Installations</Link>}
          {can(actor.roles, "update:read") && <Link href="/updates">Updates</Link>}
          {can(actor.roles, "dispute:read") && <Link href="/disputes">Disputes</Link>}
          {can(actor.roles, "roles:manage") && <Link href="/admin/roles">Roles</Link>}
          {can(actor.roles, "systems:manage") && <Link href="/admin/systems">Systems</Link>}
          {can(actor.roles, "audit:read") && <Link href="/admin/audit">Audit log</Link>}
          {can(actor.roles, "outbox:manage") && <Link href="/admin/outbox">Outbox</Link>}
        </nav>
        <div className="who">
          <Link href="/profile">{actor.name}</Link>
          <span>{actor.roles.map((r) => ROLE_LABEL[r]).join(", ") || "no role"}</span>
          <form action={signOutAction}>
            <button type="submit" className="secondary small">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main className="page">{children}</main>
    </>
  );
}
