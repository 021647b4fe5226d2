"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";

export type TNavLink = {
  href: string;
  label: string;
  /** Pages under this path count as this link's. */ section?: string;
};

/** "page" on the link's own page, "true" on a page of its section (a patch under Patches). */
export function currentness(pathname: string, link: TNavLink): "page" | "true" | undefined {
  if (pathname === link.href) return "page";
  const section = link.section;
  if (section && (pathname === section || pathname.startsWith(`${section}/`))) return "true";
  return undefined;
}

/**
 * The portal's links and the signed-in person's corner. From 640 px up they sit in
 * the bar; below, a "Menu" button (aria-expanded, aria-controls) shows them as a
 * column under the bar. Escape closes the menu and gives the focus back to the
 * button; following a link closes it too.
 */
export function PortalMenu({
  links,
  name,
  children,
}: {
  links: TNavLink[];
  /** The signed-in person's name: the link to their profile. */
  name: string;
  /** The rest of the person's corner (roles, sign-out). */
  children: React.ReactNode;
}) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  // A new page closes the menu (it was opened to get there).
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }

  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        close(true);
      }
    };
    const onPointer = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!menu.current?.contains(t) && !button.current?.contains(t)) close(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open, close]);

  return (
    <>
      <button
        ref={button}
        type="button"
        className="menu-toggle secondary small"
        aria-expanded={open}
        aria-controls="portal-menu"
        onClick={() => setOpen((o) => !o)}
      >
        <span className="menu-icon" aria-hidden="true" />
        Menu
      </button>
      <div ref={menu} id="portal-menu" className={open ? "topbar-menu open" : "topbar-menu"}>
        <nav aria-label="Portal">
          <ul>
            {links.map((l) => (
              <li key={l.href}>
                <Link href={l.href} aria-current={currentness(pathname, l)}>
                  {l.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <Link
            href="/profile"
            aria-current={currentness(pathname, { href: "/profile", label: name })}
          >
            {name}
          </Link>
          {children}
        </div>
      </div>
    </>
  );
}
