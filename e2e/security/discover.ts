import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

// What the app exposes, read from the files on disk (and, for server action
// ids, from the production build), so the matrix sees every entry point the
// moment it exists.

export const ROOT = path.resolve(import.meta.dirname, "..", "..");

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .map((f) => path.join(dir, f).split(path.sep).join("/"))
    .filter(keep)
    .sort();
}

/** "METHOD /path" for every exported method of every app/**\/route.ts, route groups dropped. */
export function discoverRoutes(): string[] {
  const found: string[] = [];
  for (const file of filesUnder("app", (f) => /\/route\.(ts|tsx|js)$/.test(f))) {
    const route =
      "/" +
      path
        .dirname(file)
        .split("/")
        .slice(1)
        .filter((seg) => !/^\(.*\)$/.test(seg))
        .join("/");
    const source = readFileSync(path.join(ROOT, file), "utf8");
    const methods = new Set<string>();
    for (const m of source.matchAll(/^export (?:const|(?:async )?function) (\w+)\b/gm))
      if (METHODS.includes(m[1])) methods.add(m[1]);
    for (const m of source.matchAll(/^export const \{([^}]*)\}/gm))
      for (const name of m[1].split(",").map((s) =>
        s
          .trim()
          .split(/\s*:\s*/)
          .pop()!,
      ))
        if (METHODS.includes(name)) methods.add(name);
    for (const m of source.matchAll(/^export \{([^}]*)\}/gm))
      for (const name of m[1].split(",").map((s) =>
        s
          .trim()
          .split(/\s+as\s+/)
          .pop()!,
      ))
        if (METHODS.includes(name)) methods.add(name);
    for (const method of methods) found.push(`${method} ${route}`);
  }
  return found.sort();
}

/** "<file>#<export>" for every export of every file that starts with "use server". */
export function discoverActions(): string[] {
  const found: string[] = [];
  for (const file of filesUnder(
    ".",
    (f) =>
      /\.(ts|tsx)$/.test(f) &&
      (f.startsWith("lib/") || f.startsWith("app/")) &&
      !f.includes("/generated/"),
  )) {
    const source = readFileSync(path.join(ROOT, file), "utf8");
    if (!/^\s*(\/\/[^\n]*\n\s*)*["']use server["']/.test(source)) continue;
    for (const m of source.matchAll(
      /^export (?:async function|function|const|let|var|class) (\w+)/gm,
    ))
      found.push(`${file}#${m[1]}`);
    for (const m of source.matchAll(/^export \{([^}]*)\}/gm))
      for (const name of m[1].split(",").map((s) =>
        s
          .trim()
          .split(/\s+as\s+/)
          .pop()!,
      ))
        if (name) found.push(`${file}#${name}`);
    if (/^export default/m.test(source)) found.push(`${file}#default`);
  }
  return found.sort();
}

export type TActionRef = { id: string; page: string };

type TManifest = {
  node: Record<
    string,
    { workers: Record<string, unknown>; exportedName?: string; filename?: string }
  >;
};

/**
 * Each server action's id, as the production build publishes it to browsers,
 * and a page that serves it ("app/(portal)/profile/page" -> "/profile").
 */
export function actionIds(): Map<string, TActionRef> {
  const manifest = JSON.parse(
    readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8"),
  ) as TManifest;
  const out = new Map<string, TActionRef>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (!entry.filename || !entry.exportedName) continue;
    const pages = Object.keys(entry.workers).filter((w) => w.endsWith("/page"));
    // A public page first (the proxy redirects visitors away from the others), then a static one.
    const worker =
      pages.find((w) => w.startsWith("app/(public)/")) ??
      pages.find((w) => !w.includes("[")) ??
      pages[0] ??
      "";
    const page =
      "/" +
      worker
        .replace(/^app\//, "")
        .replace(/\/?page$/, "")
        .split("/")
        .filter((seg) => seg && !/^\(.*\)$/.test(seg))
        .map((seg) => (seg.startsWith("[") ? "cm0nosuchpatch000000000000" : seg))
        .join("/");
    out.set(`${entry.filename.replace(/^\.\//, "")}#${entry.exportedName}`, { id, page });
  }
  return out;
}
