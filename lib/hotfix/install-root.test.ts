import { mkdtemp, mkdir, readFile, stat, symlink, writeFile, access } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { sha256 } from "../../test/hotfix-archives";
import {
  currentHashes,
  filesNotAsExpected,
  keepOriginals,
  mismatchMessage,
  replaceFiles,
  restoreOriginals,
} from "./install-root";

let root: string;
let backup: string;
const files = [
  { path: "api/v2/operations.pyc", sha256Before: sha256("old"), sha256After: sha256("new") },
  { path: "api/v2/added.py", sha256Before: null, sha256After: sha256("added") },
];
const contents = new Map([
  ["api/v2/operations.pyc", Buffer.from("new")],
  ["api/v2/added.py", Buffer.from("added")],
]);

beforeEach(async () => {
  const base = await mkdtemp(path.join(tmpdir(), "patchgate-root-"));
  root = path.join(base, "opt");
  backup = path.join(base, "backup");
  await mkdir(path.join(root, "api/v2"), { recursive: true });
  await writeFile(path.join(root, "api/v2/operations.pyc"), "old", { mode: 0o640 });
});

describe("install root", () => {
  it("applies and restores the exact bytes, keeping the file's mode", async () => {
    expect(await filesNotAsExpected(root, files, "before")).toEqual([]);
    await keepOriginals(root, backup, files);
    await replaceFiles(root, files, contents);
    expect(await currentHashes(root, files)).toEqual({
      "api/v2/operations.pyc": sha256("new"),
      "api/v2/added.py": sha256("added"),
    });
    expect((await stat(path.join(root, "api/v2/operations.pyc"))).mode & 0o777).toBe(0o640);
    expect(await filesNotAsExpected(root, files, "after")).toEqual([]);

    await restoreOriginals(root, backup, files);
    expect(await readFile(path.join(root, "api/v2/operations.pyc"), "utf8")).toBe("old");
    await expect(access(path.join(root, "api/v2/added.py"))).rejects.toThrow();
  });

  it("names every file that is not what the hotfix expects, in the seed's words", async () => {
    await writeFile(path.join(root, "api/v2/operations.pyc"), "other");
    await writeFile(path.join(root, "api/v2/added.py"), "already");
    const m = await filesNotAsExpected(root, files, "before");
    expect(m.map((x) => x.path)).toEqual(["api/v2/operations.pyc", "api/v2/added.py"]);
    expect(mismatchMessage(root, m[0], "sshmgr", "3.0.0")).toBe(
      `File ${root}/api/v2/operations.pyc: SHA-256 on disk ${sha256("other")} does not match what the hotfix expects to override: ${sha256("old")}. The hotfix is not for this version of sshmgr (3.0.0) and cannot be applied.`,
    );
  });

  it("refuses a path that a symbolic link leads out of the root", async () => {
    const outside = await mkdtemp(path.join(tmpdir(), "patchgate-outside-"));
    await symlink(outside, path.join(root, "lib"));
    await expect(
      filesNotAsExpected(
        root,
        [{ path: "lib/x.py", sha256Before: null, sha256After: sha256("x") }],
        "before",
      ),
    ).rejects.toThrow(/link out of the install root/);
  });
});
