import Link from "next/link";
import { pageActor } from "@/lib/auth/require-actor";
import { can, type TPermission } from "@/lib/domain/permissions";
import { ROLE_LABEL } from "@/lib/domain/roles";
import { signOutAction } from "@/lib/actions/auth";
import { PortalMenu, type TNavLink } from "./_components/portal-menu";

// The header's links; those with a permission show only to who holds it.
const LINKS: (TNavLink & { needs?: TPermission })[] = [
  { href: "/", label: "Overview" },
  { href: "/patches", label: "Patches", section: "/patches" },
  { href: "/queue", label: "Waiting for me" },
  { href: "/roster", label: "Teams" },
  { href: "/emergencies/open", label: "Emergencies", section: "/emergencies" },
  { href: "/hotfixes", label: "Hotfixes", section: "/hotfixes" },
  {
    href: "/installations",
    label: "Installations",
    section: "/installations",
    needs: "package:read",
  },
  { href: "/updates", label: "Updates", section: "/updates", needs: "update:read" },
  { href: "/disputes", label: "Disputes", section: "/disputes", needs: "dispute:read" },
  { href: "/admin/roles", label: "Roles", needs: "roles:manage" },
  { href: "/admin/systems", label: "Systems", needs: "systems:manage" },
  { href: "/admin/audit", label: "Audit log", needs: "audit:read" },
  { href: "/admin/outbox", label: "Outbox", needs: "outbox:manage" },
];

// Convenience only: each page and action below checks authorization itself.
export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const actor = await pageActor();
  const links = LINKS.filter((l) => !l.needs || can(actor.roles, l.needs)).map(
    ({ href, label, section }) => ({ href, label, section }),
  );
  return (
    <>
      <header className="topbar">
        <Link href="/" className="brand">
          <span className="brand-mark" /> Patchgate
        </Link>
        <PortalMenu links={links} name={actor.name}>
          <span>{actor.roles.map((r) => ROLE_LABEL[r]).join(", ") || "no role"}</span>
          <form action={signOutAction}>
            <button type="submit" className="secondary small">
              Sign out
            </button>
          </form>
        </PortalMenu>
      </header>
      <main id="main" tabIndex={-1} className="page">
        {children}
      </main>
    </>
  );
}
