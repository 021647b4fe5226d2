import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// docker-compose.yml cannot be run here (no engine, no images), so it is validated with
// Debian's docker-compose 1.29. Missing tool = failure, never a skip: a skipped check
// would let a broken compose file through unnoticed.

const root = fileURLToPath(new URL("..", import.meta.url));
const composeFile = path.join(root, "docker-compose.yml");
const INSTALL_HINT =
  "docker-compose is not installed: run `apt-get update && apt-get install -y docker-compose` (as root)";

type Run = { status: number; stdout: string; stderr: string };

function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Run {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env,
    input: opts.input,
    encoding: "utf8",
    timeout: 60_000,
  });
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === "ENOENT" && cmd === "docker-compose")
      throw new Error(INSTALL_HINT);
    throw r.error;
  }
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

// A fixed environment: AUTH_SECRET set (unless a test removes it), nothing else from the caller's
// compose settings, so the result does not depend on who runs the test.
function composeEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AUTH_SECRET: "test-secret-0123456789abcdef",
    PORTAL_KEY_PASSPHRASE: "test-passphrase-0123456789",
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env as NodeJS.ProcessEnv;
}

function compose(file: string, args: string[], env = composeEnv()): Run {
  return run("docker-compose", ["-f", file, ...args], { cwd: path.dirname(file), env });
}

type TService = {
  image?: string;
  build?: { target?: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: { published: number | string; target: number }[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
};

describe("docker-compose.yml", () => {
  let tmp: string;

  beforeAll(() => {
    tmp = mkdtempSync(path.join(tmpdir(), "patchgate-compose-"));
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it("docker-compose is installed", () => {
    const r = run("docker-compose", ["version"], { cwd: root, env: composeEnv() });
    expect(r.status, INSTALL_HINT).toBe(0);
    expect(r.stdout).toMatch(/docker-compose version 1\.29/);
  });

  it("validates: `docker-compose config -q` exits 0 with AUTH_SECRET set", () => {
    const r = compose(composeFile, ["config", "-q"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("declares the services, redis settings and app wiring", () => {
    const r = compose(composeFile, ["config"]);
    expect(r.status, r.stderr).toBe(0);
    const text = r.stdout;
    expect(text).toContain("appendonly");
    expect(text).toContain("noeviction");

    // The resolved config is YAML; docker-compose 1.29 has no JSON output, but its own
    // dependency python3-yaml can convert it, which gives real structure to assert on.
    const json = run(
      "python3",
      ["-c", "import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
      {
        cwd: root,
        input: text,
      },
    );
    expect(json.status, json.stderr).toBe(0);
    const config = JSON.parse(json.stdout) as {
      services: Record<string, TService>;
      volumes: Record<string, unknown>;
    };
    const s = config.services;
    expect(Object.keys(s).sort()).toEqual(["app", "db", "mail", "redis", "worker"]);

    expect(s.db.image).toBe("postgres:16");
    expect(s.db.environment?.POSTGRES_PASSWORD).toBe("postgres");
    expect(s.db.healthcheck?.test.join(" ")).toContain("pg_isready");
    expect(s.db.volumes?.some((v) => v.includes("/var/lib/postgresql/data"))).toBe(true);

    expect(s.redis.image).toBe("redis:7");
    expect(s.redis.command).toEqual([
      "redis-server",
      "--appendonly",
      "yes",
      "--maxmemory-policy",
      "noeviction",
    ]);
    expect(s.redis.healthcheck?.test).toBeDefined();
    expect(s.redis.volumes?.some((v) => v.includes("/data"))).toBe(true);

    expect(s.mail.image).toMatch(/^axllent\/mailpit/);
    expect(s.mail.ports?.map((p) => `${p.published}:${p.target}`).sort()).toEqual([
      "1025:1025",
      "8025:8025",
    ]);

    const expectedEnv = {
      DATABASE_URL: "postgresql://postgres:postgres@db:5432/patchgate",
      REDIS_URL: "redis://redis:6379",
      AUTH_SECRET: "test-secret-0123456789abcdef",
      PORTAL_KEY_PASSPHRASE: "test-passphrase-0123456789",
      SMTP_URL: "smtp://mail:1025",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    for (const name of ["app", "worker"]) {
      const svc = s[name];
      expect(svc.build?.target, name).toBe("app");
      expect(svc.environment, name).toMatchObject(expectedEnv);
      expect(svc.environment?.MAIL_FROM, name).toBeTruthy();
      expect(svc.environment?.PUBLIC_URL, name).toMatch(/^https?:\/\//);
      expect(svc.depends_on?.db?.condition, name).toBe("service_healthy");
      expect(svc.depends_on?.redis?.condition, name).toBe("service_healthy");
    }
    expect(s.app.ports?.map((p) => `${p.published}:${p.target}`)).toEqual(["3000:3000"]);
    expect(s.app.command?.join(" ")).toMatch(/prisma migrate deploy && .*npm run start/);
    expect(s.worker.command).toEqual([
      "node",
      "--conditions=react-server",
      "--import",
      "tsx",
      "workers/index.ts",
    ]);
    expect(s.worker.image).toBe(s.app.image);
  });

  it("refuses to resolve without AUTH_SECRET", () => {
    const r = compose(composeFile, ["config", "-q"], composeEnv({ AUTH_SECRET: undefined }));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("set AUTH_SECRET");
  });

  it("the validator really fails on a broken copy (and passes the unbroken copy)", () => {
    const good = path.join(tmp, "good", "docker-compose.yml");
    const bad = path.join(tmp, "bad", "docker-compose.yml");
    for (const f of [good, bad]) mkdirSync(path.dirname(f), { recursive: true });

    // Control: the same file copied elsewhere validates, so the failure below is the edit's doing.
    copyFileSync(composeFile, good);
    const ok = compose(good, ["config", "-q"]);
    expect(ok.status, ok.stderr).toBe(0);

    const source = readFileSync(composeFile, "utf8");
    const broken = source.replace(/^ {2}app:\n/m, "  app:\n    not_a_compose_key: true\n");
    expect(broken).not.toBe(source);
    writeFileSync(bad, broken);
    const r = compose(bad, ["config", "-q"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("not_a_compose_key");
  });
});
