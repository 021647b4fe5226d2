import { expect, test, type APIRequestContext } from "../fixtures/test";
import { createPerson, type TE2EPerson } from "../fixtures/people";
import { createSystem } from "../patches/patch-helpers";

// Issue 11, finding 10: numbers PostgreSQL's int4 cannot hold, NUL and other
// control characters, and bidi controls in any typed field, path id or query are
// a 400 VALIDATION naming the field, never a 500.

const NUL = "\u0000";
const RLO = "\u202E";
const ESC = "\u001b";
// Three people made through the CLI and a table of requests: slow on a busy machine.
test.describe.configure({ timeout: 120_000 });

const auth = (p: TE2EPerson) => ({ authorization: `Bearer ${p.token}` });

const diff = Buffer.from(`--- a/www/a.php\n+++ b/www/a.php\n@@ -1,2 +1,2 @@\n line\n-old\n+new\n`);

function submit(
  request: APIRequestContext,
  who: TE2EPerson,
  system: string,
  fields = {},
  bytes = diff,
) {
  return request.post("/api/v1/patches", {
    headers: auth(who),
    multipart: {
      system,
      title: "Input hygiene",
      summary: "Line one.\r\nLine two.",
      bugId: "42",
      bugSummary: "Bad input",
      ...fields,
      diff: { name: "fix.diff", mimeType: "text/x-diff", buffer: bytes },
    },
  });
}

test("bad input anywhere in the API is a 400 naming the field, not a 500", async ({ request }) => {
  const dev = createPerson(["developer"]);
  const admin = createPerson(["admin"]);
  const ca = createPerson(["critical-admin"]);
  const system = createSystem("webdb");
  const created = await submit(request, dev, system);
  expect(created.status(), await created.text()).toBe(201);
  const patchId = ((await created.json()) as { id: string }).id;
  const p = `/api/v1/patches/${patchId}`;

  type TCase = [
    label: string,
    send: () => Promise<import("@playwright/test").APIResponse>,
    field: RegExp,
  ];
  const get =
    (url: string, who = dev) =>
    () =>
      request.get(url, { headers: auth(who) });
  const post =
    (url: string, data: unknown, who = dev) =>
    () =>
      request.post(url, { headers: auth(who), data });
  const cases: TCase[] = [
    ["revision beyond int4", get(`${p}/diff?revision=99999999999`), /revision/],
    ["list cursor beyond int4", get(`/api/v1/patches?before=99999999999`), /before/],
    [
      "NUL in the system filter",
      get(`/api/v1/patches?system=a${encodeURIComponent(NUL)}b`),
      /system/,
    ],
    [
      "bidi in the system filter",
      get(`/api/v1/patches?system=${encodeURIComponent(RLO)}`),
      /system/,
    ],
    ["NUL in a path id", get(`/api/v1/patches/${encodeURIComponent(`x${NUL}y`)}`), /id/],
    ["bidi in a path id", get(`/api/v1/patches/${encodeURIComponent(`x${RLO}`)}/diff`), /id/],
    [
      "NUL in a path id (dossier)",
      get(`/api/v1/patches/${encodeURIComponent(NUL)}/evidence`),
      /id/,
    ],
    [
      "escape in a system slug",
      () =>
        request.patch(`/api/v1/systems/${encodeURIComponent(`${system}${ESC}`)}`, {
          headers: auth(admin),
          data: { reviewsRequired: 2, testsRequired: 2, reason: "r" },
        }),
      /slug/,
    ],
    [
      "NUL in a policy reason",
      () =>
        request.patch(`/api/v1/systems/${system}`, {
          headers: auth(admin),
          data: { reviewsRequired: 2, testsRequired: 2, reason: `why${NUL}` },
        }),
      /reason/,
    ],
    [
      "NUL in a statement comment (query)",
      get(`${p}/statement?kind=review&verdict=approve&comment=${encodeURIComponent(`ok${NUL}`)}`),
      /comment/,
    ],
    [
      "bidi in a statement comment (body)",
      post(`${p}/statement`, { kind: "review", verdict: "approve", comment: `ok${RLO}` }),
      /comment/,
    ],
    [
      "bell in a line comment",
      post(`${p}/statement`, {
        kind: "review",
        verdict: "approve",
        lineComments: [{ file: "www/a.php", line: 1, text: `see\u0007` }],
      }),
      /lineComments\.0\.text/,
    ],
    [
      "line number beyond int4",
      post(`${p}/statement`, {
        kind: "review",
        verdict: "approve",
        lineComments: [{ file: "www/a.php", line: 99999999999, text: "x" }],
      }),
      /lineComments\.0\.line/,
    ],
    ["NUL in a title", () => submit(request, dev, system, { title: `Fix${NUL}` }), /title/],
    [
      "bidi in a title",
      () => submit(request, dev, system, { title: `Fix ${RLO}gnp.exe` }),
      /title/,
    ],
    [
      "escape in a summary",
      () => submit(request, dev, system, { summary: `a${ESC}[2Jb` }),
      /summary/,
    ],
    [
      "newline in the bug summary",
      () => submit(request, dev, system, { bugSummary: "a\nb" }),
      /bugSummary/,
    ],
    [
      "key filter with NUL",
      get(`${p}/deployment/notification?key=${encodeURIComponent(NUL)}`, ca),
      /key|keyFingerprint/,
    ],
  ];
  const answers: string[] = [];
  for (const [label, send, field] of cases) {
    const res = await send();
    const body = await res.text();
    answers.push(`${label}: ${res.status()} ${body.slice(0, 160)}`);
    expect(res.status(), `${label}: ${body}`).toBe(400);
    const { error } = JSON.parse(body) as { error: { code: string; message: string } };
    expect(error.code, label).toBe("VALIDATION");
    expect(error.message, label).toMatch(field);
  }
  console.log(answers.join("\n"));
});

test("a multi-line field sent with CRLF is stored with LF", async ({ request }) => {
  const dev = createPerson(["developer"]);
  const system = createSystem("webdb");
  const created = await submit(request, dev, system, { summary: "one\r\ntwo\rthree" });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const patch = await request.get(`/api/v1/patches/${id}`, { headers: auth(dev) });
  expect(JSON.stringify(await patch.json())).toContain("one\\ntwo\\nthree");
});

test("a diff that makes a symbolic link is refused at upload with a clear message", async ({
  request,
}) => {
  const dev = createPerson(["developer"]);
  const system = createSystem("webdb");
  const link = Buffer.from(
    "diff --git a/www/conf b/www/conf\nnew file mode 120000\nindex 0000000..1234567\n--- /dev/null\n+++ b/www/conf\n@@ -0,0 +1 @@\n+/etc/shadow\n\\ No newline at end of file\n",
  );
  const res = await submit(request, dev, system, {}, link);
  expect(res.status()).toBe(400);
  expect(await res.json()).toEqual({
    error: {
      code: "VALIDATION",
      message: expect.stringContaining("symbolic link (mode 120000)"),
    },
  });
});
