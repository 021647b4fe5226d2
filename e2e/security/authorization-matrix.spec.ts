import { expect, test } from "../fixtures/test";
import { ACTIONS, ROUTES, type TNeeds } from "./access-table";
import { callAction, callRoute, type TAnswer } from "./call";
import { actionIds, discoverActions, discoverRoutes } from "./discover";
import { expectedAllowed, makePersonas, signInCookie, type TPersona } from "./personas";

// Every route handler and every server action, called over HTTP by every role,
// by nobody (also with the CVE-2025-29927 header), by a disabled account and
// by an account with a temporary password. The expected answer comes from
// access-table.ts and the permission table, never from the code under test.
// Refused = 401 or 403 (or the proxy's redirect to /login for a visitor without
// a cookie); allowed = anything else but a 5xx.

const CONCURRENCY = Number(process.env.MATRIX_CONCURRENCY ?? 6);

test("the access table names every route handler and server action on disk, and nothing else", () => {
  const routes = discoverRoutes();
  const actions = discoverActions();
  expect(
    routes.filter((r) => !(r in ROUTES)),
    "route handlers missing from e2e/security/access-table.ts ROUTES",
  ).toEqual([]);
  expect(
    actions.filter((a) => !(a in ACTIONS)),
    "server actions missing from e2e/security/access-table.ts ACTIONS",
  ).toEqual([]);
  expect(
    Object.keys(ROUTES).filter((r) => !routes.includes(r)),
    "stale ROUTES entries",
  ).toEqual([]);
  expect(
    Object.keys(ACTIONS).filter((a) => !actions.includes(a)),
    "stale ACTIONS entries",
  ).toEqual([]);
  const ids = actionIds();
  expect(
    actions.filter((a) => !ids.has(a)),
    "server actions the production build does not publish (rebuild?)",
  ).toEqual([]);
});

type TCell = {
  entry: string;
  needs: TNeeds;
  who: TPersona;
  run: () => Promise<TAnswer>;
  refusedAlso: (string | number)[];
};

type TVerdict = "allowed" | "refused" | "redirected" | "5xx" | "broken";

function verdictOf(cell: TCell, a: TAnswer, isAction: boolean): TVerdict {
  if (a.status >= 500) return "5xx";
  const toLogin = a.status >= 300 && a.status < 400 && /\/login(\?|$)/.test(a.location ?? "");
  if (a.status === 401 || a.status === 403) return "refused";
  // The proxy sends a visitor without a session cookie to /login before the handler runs:
  // a refusal, or for a public action served only on portal pages (sign-out), no answer at all.
  if (toLogin && cell.who.state === "anonymous" && !cell.who.cookie) return "redirected";
  if (isAction) {
    // 404 here means the id is unknown to the server: the matrix itself is wrong.
    if (a.status === 404) return "broken";
    if (a.code === "UNAUTHENTICATED" || a.code === "FORBIDDEN") return "refused";
    if (a.code === "INTERNAL") return "5xx";
    if (a.code && cell.refusedAlso.includes(a.code)) return "refused";
    return "allowed";
  }
  if (cell.refusedAlso.includes(a.status)) return "refused";
  return "allowed";
}

async function pool<T>(items: T[], n: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

test("authorization matrix: every route and action × every role and account state", async ({
  baseURL,
}) => {
  test.setTimeout(300_000);
  const base = baseURL!;
  const started = Date.now();
  const personas = await makePersonas(base);
  const ready = Date.now();
  const ids = actionIds();
  const cells: TCell[] = [];

  for (const [entry, route] of Object.entries(ROUTES)) {
    const method = entry.split(" ")[0];
    for (const who of personas)
      cells.push({
        entry,
        needs: route.needs,
        who,
        refusedAlso: route.refusedAlso ?? [],
        run: () => callRoute(base, method, route, who),
      });
  }
  for (const [entry, action] of Object.entries(ACTIONS)) {
    const ref = ids.get(entry);
    if (!ref) continue; // reported by the test above
    for (const who of personas)
      cells.push({
        entry,
        needs: action.needs,
        who,
        refusedAlso: action.refusedAlso ?? [],
        run: async () => {
          // Signing out ends the session: it gets one of its own.
          const fresh =
            action.ownSession && who.person && who.state !== "disabled"
              ? { ...who, cookie: await signInCookie(base, who.person) }
              : who;
          return callAction(base, ref, action.call, fresh);
        },
      });
  }

  const problems: string[] = [];
  let unexpectedAllows = 0;
  let unexpectedRefusals = 0;
  let serverErrors = 0;
  await pool(cells, CONCURRENCY, async (cell) => {
    const answer = await cell.run();
    const got = verdictOf(cell, answer, cell.entry.includes("#"));
    const want = expectedAllowed(cell.needs, cell.who) ? "allowed" : "refused";
    if (got === want || got === "redirected") return;
    if (got === "5xx") serverErrors++;
    else if (want === "refused") unexpectedAllows++;
    else unexpectedRefusals++;
    problems.push(
      `${cell.entry} as ${cell.who.name} (needs ${cell.needs}): expected ${want}, got ${got} ` +
        `${answer.status}${answer.code ? ` ${answer.code}` : ""} ${answer.text.slice(0, 160).replace(/\s+/g, " ")}`,
    );
  });

  // Malformed input from callers the table refuses: they must never succeed, and an action must
  // refuse a caller who is not signed in before it reads the input. Those that answer with a
  // validation error instead of 401/403 (a role checked after the input) are listed.
  const probes: TCell[] = [];
  for (const cell of cells) {
    if (expectedAllowed(cell.needs, cell.who)) continue;
    const lacksRole = cell.who.state === "enabled";
    const firstLacking = personas.find(
      (p) => p.state === "enabled" && !expectedAllowed(cell.needs, p),
    );
    if (lacksRole && cell.who !== firstLacking) continue;
    if (cell.who.state === "anonymous" && cell.who.name !== "junk session cookie") continue;
    if (cell.entry.includes("#")) {
      const action = ACTIONS[cell.entry];
      const ref = ids.get(cell.entry)!;
      const call = "args" in action.call ? { args: ["not an object"] } : { form: {} };
      probes.push({ ...cell, run: () => callAction(base, ref, call, cell.who) });
    } else {
      const route = ROUTES[cell.entry];
      const bad = route.body
        ? { ...route, body: { text: "{", contentType: "application/json" } }
        : { ...route, url: `${route.url}${route.url.includes("?") ? "&" : "?"}revision=x&limit=x` };
      probes.push({ ...cell, run: () => callRoute(base, cell.entry.split(" ")[0], bad, cell.who) });
    }
  }
  const inputFirst = new Set<string>();
  await pool(probes, CONCURRENCY, async (cell) => {
    const answer = await cell.run();
    const succeeded = cell.entry.includes("#")
      ? answer.code === "OK"
      : answer.status >= 200 && answer.status < 300;
    if (succeeded || answer.status >= 500)
      problems.push(
        `${cell.entry} as ${cell.who.name} with malformed input: ${answer.status} ${answer.code ?? ""}`,
      );
    else if (
      cell.entry.includes("#") &&
      cell.who.state !== "enabled" &&
      verdictOf(cell, answer, true) === "allowed"
    )
      // An action asks who is calling before it reads the input (lib/actions/*: requireActor first).
      problems.push(
        `${cell.entry} as ${cell.who.name} with malformed input: ${answer.code} before the caller was checked`,
      );
    else if (verdictOf(cell, answer, cell.entry.includes("#")) === "allowed")
      inputFirst.add(
        `${cell.entry} (${answer.status}${answer.code ? ` ${answer.code}` : ""} as ${cell.who.name})`,
      );
  });

  const entries = Object.keys(ROUTES).length + Object.keys(ACTIONS).length;
  console.log(
    `authorization matrix: ${cells.length} cells (${entries} routes and actions × ${personas.length} callers); ` +
      `unexpected allows ${unexpectedAllows}, unexpected refusals ${unexpectedRefusals}, 5xx ${serverErrors} ` +
      `(callers ready in ${((ready - started) / 1000).toFixed(1)} s, cells in ${((Date.now() - ready) / 1000).toFixed(1)} s)`,
  );
  console.log(
    `malformed input from refused callers: ${probes.length} probes; answered with a validation error ` +
      `before the caller was checked (never a success): ${inputFirst.size}`,
  );
  for (const e of [...inputFirst].sort()) console.log(`  input first: ${e}`);
  for (const p of problems.sort()) console.log(`  ${p}`);
  expect(problems).toEqual([]);
});
