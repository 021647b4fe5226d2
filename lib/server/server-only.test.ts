import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SERVER = fileURLToPath(new URL(".", import.meta.url));

// Both leave lib/server in issue 9, part 5: a pure rule bound for lib/domain, and a test
// helper bound for test/. Drop them from this list when they go.

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return modules(full);
    if (!/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) return [];
    return [path.relative(SERVER, full).split(path.sep).join("/")];
  });
}

describe("lib/server", () => {
  const all = modules(SERVER);

  it("walks the use-cases", () => {
    expect(all).toContain("patches/submit-patch.ts");
    expect(all).toContain("deployments/tick-step.ts");
  });

  // Next fails the build when client code reaches a module so marked. The CLI, worker and
  // seed run with --conditions=react-server, where the import is empty (decisions/0004).
  it('marks every module import "server-only"', () => {
    const unmarked = all.filter(
      (rel) =>
        !/^import ["']server-only["'];?$/m.test(readFileSync(path.join(SERVER, rel), "utf8")),
    );
    expect(unmarked).toEqual([]);
  });
});
