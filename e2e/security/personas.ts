import { execFileSync } from "node:child_process";
import path from "node:path";
import { ROLES, type TRole } from "../../lib/domain/roles";
import { ROLE_PERMISSIONS, type TPermission } from "../../lib/domain/permissions";
import type { TE2EPerson } from "../fixtures/people";
import type { TNeeds } from "./access-table";
import { send } from "./call";
import { ROOT } from "./discover";

/** Who knocks: a role, nobody, or an account in a state that must refuse it. */
export type TPersona = {
  name: string;
  roles: readonly TRole[];
  /** Authorization: Bearer ... for the API; null = none. */
  token: string | null;
  /** The Cookie header for session routes and server actions; null = none. */
  cookie: string | null;
  /** Extra headers sent on every request (the middleware-bypass header). */
  headers?: Record<string, string>;
  state: "enabled" | "anonymous" | "disabled" | "temporary";
  person?: TE2EPerson;
};

export const BYPASS_HEADER = {
  "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware",
};
// A cookie with the session cookie's name and nonsense inside: the proxy lets it
// through (it only looks at the name), so the route itself must refuse.
const JUNK_SESSION = "authjs.session-token=not-a-session";

/** The expected answer, from the table alone. */
export function expectedAllowed(needs: TNeeds, p: TPersona): boolean {
  if (needs === "public") return true;
  if (p.state === "anonymous" || p.state === "disabled") return false;
  if (needs === "temporary-ok") return true;
  if (p.state === "temporary") return false;
  if (needs === "signed-in") return true;
  return p.roles.some((r) => (ROLE_PERMISSIONS[r] as readonly TPermission[]).includes(needs));
}

function setCookies(response: Response): string[] {
  return response.headers.getSetCookie().map((c) => c.split(";")[0]);
}

/** Signs in through Auth.js's own credentials endpoint; returns the Cookie header of the session. */
export async function signInCookie(baseURL: string, person: TE2EPerson): Promise<string> {
  const csrf = await send(`${baseURL}/api/auth/csrf`, {});
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = setCookies(csrf);
  const res = await send(`${baseURL}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({
      csrfToken,
      email: person.email,
      password: person.password,
      callbackUrl: `${baseURL}/`,
    }),
  });
  const session = setCookies(res).find((c) => /authjs\.session-token=./.test(c));
  if (!session) throw new Error(`sign-in of ${person.email} failed: ${res.status}`);
  return session;
}

/** Runs one of e2e/fixtures' scripts against the e2e database, as the CLI would. */
function fixtureScript(script: string, args: string[]): string {
  return execFileSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", `e2e/fixtures/${script}`, ...args],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { TSX_TSCONFIG_PATH: path.join(ROOT, "tsconfig.json"), ...process.env },
    },
  );
}

/**
 * One person per role, nobody (with and without the CVE-2025-29927 header), and
 * two people holding every role: one disabled after signing in, one whose
 * password is temporary. Every role, so only the account's state can refuse them.
 */
export async function makePersonas(baseURL: string): Promise<TPersona[]> {
  // Every account in one process (a CLI run per person takes seconds), then their sessions.
  const [disabled, temporary, ...perRole] = JSON.parse(
    fixtureScript("create-people.ts", [JSON.stringify([ROLES, ROLES, ...ROLES.map((r) => [r])])]),
  ) as TE2EPerson[];
  const out: TPersona[] = [];
  for (const [i, role] of ROLES.entries()) {
    const person = perRole[i];
    out.push({
      name: role,
      roles: [role],
      token: person.token,
      cookie: await signInCookie(baseURL, person),
      state: "enabled",
      person,
    });
  }
  out.push({ name: "no credentials", roles: [], token: null, cookie: null, state: "anonymous" });
  out.push({
    name: "junk session cookie",
    roles: [],
    token: "pg_" + "A".repeat(43),
    cookie: JUNK_SESSION,
    state: "anonymous",
  });
  out.push({
    // No cookie: if the header still skipped the proxy (CVE-2025-29927), the route must refuse.
    name: "x-middleware-subrequest",
    roles: [],
    token: null,
    cookie: null,
    headers: BYPASS_HEADER,
    state: "anonymous",
  });
  const every = { disabled, temporary };
  for (const state of ["disabled", "temporary"] as const) {
    const person = every[state];
    const cookie = await signInCookie(baseURL, person);
    out.push({
      name: `${state} (every role)`,
      roles: ROLES,
      token: person.token,
      cookie,
      state,
      person,
    });
  }
  fixtureScript("set-account-state.ts", [
    `${disabled.email}=disabled`,
    `${temporary.email}=temporary`,
  ]);
  return out;
}
