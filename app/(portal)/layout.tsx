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
          <Link href="/roster">Teams</Link>
          {can(actor.roles, "roles:manage") && <Link href="/admin/roles">Roles</Link>}
          {can(actor.roles, "audit:read") && <Link href="/admin/audit">Audit log</Link>}
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
