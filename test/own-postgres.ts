import { execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

// A PostgreSQL server of a test's own, to stop and start at will: the shared
// one on 5432 serves every other test and is never restarted. Debian's server
// binaries, run as the `postgres` user (initdb and postgres refuse root) when
// the test runs as root; fsync off, since the data is thrown away.

const BIN = process.env.PG_BIN_DIR ?? "/usr/lib/postgresql/15/bin";

function asPostgres(cmd: string, args: string[]): string {
  const full = path.join(BIN, cmd);
  const root = process.getuid?.() === 0;
  return execFileSync(
    root ? "runuser" : full,
    root ? ["-u", "postgres", "--", full, ...args] : args,
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export type TOwnPostgres = {
  port: number;
  /** A connection string to database `name` on this server (user postgres, trust). */
  url: (name: string) => string;
  /** pg_ctl stop: "fast" rolls back open transactions and disconnects everyone. */
  stop: (mode?: "fast" | "immediate") => void;
  start: () => void;
  destroy: () => void;
};

export async function startOwnPostgres(): Promise<TOwnPostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), "patchgate-pg-"));
  const data = path.join(dir, "data");
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  asPostgres("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const start = () =>
    void asPostgres("pg_ctl", ["-D", data, "-o", opts, "-l", path.join(dir, "log"), "-w", "start"]);
  start();
  return {
    port,
    url: (name) => `postgresql://postgres@127.0.0.1:${port}/${name}`,
    stop: (mode = "fast") => void asPostgres("pg_ctl", ["-D", data, "-m", mode, "-w", "stop"]),
    start,
    destroy() {
      try {
        asPostgres("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
