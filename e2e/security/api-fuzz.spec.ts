import { expect, test } from "../fixtures/test";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { ROLES } from "../../lib/domain/roles";
import { createSystem, keyedPerson } from "../fixtures/requested-patch";
import { HARMLESS_DIFF } from "./access-table";
import { send } from "./call";
import {
  corruptedObject,
  nastyInteger,
  nastyString,
  nastyUrlString,
  nastyValue,
  resolve,
  validValue,
  type TComponents,
  type TSchema,
} from "./schema-arbitrary";

// Requests generated from the OpenAPI document served at /api/v1/openapi.json,
// valid and deliberately malformed, sent with the token of a person holding
// every role and with none. Every answer must be below 500, have a status and
// content type the document lists for that operation, and a JSON body that
// validates against the documented schema (OpenAPI 3.1 = JSON Schema 2020-12).
// FUZZ_RUNS requests (default 300) from FUZZ_SEED (printed), so a failure reproduces.

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);

type TParam = { name: string; in: "path" | "query"; required?: boolean; schema: TSchema };
type TMedia = { schema?: TSchema };
type TResponse = { content?: Record<string, TMedia> };
type TOperation = {
  parameters?: TParam[];
  requestBody?: { required?: boolean; content: Record<string, TMedia> };
  responses: Record<string, TResponse>;
  security?: unknown[];
};
type TDocument = {
  paths: Record<string, Record<string, TOperation>>;
  components: TComponents;
};
type TOp = { method: string; path: string; op: TOperation };

type TBodyPlan =
  | { kind: "json"; value: unknown }
  | { kind: "raw"; text: string; contentType: string }
  | { kind: "multipart"; fields: Record<string, string>; files: Record<string, string> };

type TPlan = {
  op: TOp;
  withToken: boolean;
  params: Record<string, string>;
  query: [string, string][];
  body?: TBodyPlan;
};

const asText = (v: unknown) =>
  typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);

/**
 * A path segment the URL keeps as it is: never empty, never "." or ".." (which
 * the URL parser resolves away, %2E included, before the request leaves).
 */
function segment(v: string): string {
  const s = encodeURIComponent(v);
  return s === "" ? "x" : /^(\.|%2e)+$/i.test(s) ? `x${s}` : s;
}

function paramValue(p: TParam, known: Record<string, string[]>, c: TComponents) {
  const schema = resolve(p.schema, c);
  const hostile = schema.type === "integer" ? nastyInteger : nastyUrlString;
  return fc
    .oneof(
      {
        weight: 3,
        arbitrary: known[p.name]?.length
          ? fc.constantFrom(...known[p.name])
          : validValue(schema, c),
      },
      { weight: 2, arbitrary: validValue(schema, c) },
      { weight: 2, arbitrary: hostile },
    )
    .map(asText);
}

function bodyPlan(op: TOperation, c: TComponents): fc.Arbitrary<TBodyPlan | undefined> {
  const content = op.requestBody?.content;
  if (!content) return fc.constant(undefined);
  const badJson = fc.constantFrom('{"unterminated": ', "not json", "", "[1,2", '{"a":1}{"b":2}');
  const wrongType = fc
    .tuple(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom("text/plain", "application/xml", ""))
    .map(([v, ct]): TBodyPlan => ({ kind: "raw", text: JSON.stringify(v), contentType: ct }));
  const json = content["application/json"]?.schema;
  if (json) {
    return fc.oneof(
      {
        weight: 4,
        arbitrary: validValue(json, c).map((value): TBodyPlan => ({ kind: "json", value })),
      },
      {
        weight: 3,
        arbitrary: corruptedObject(json, c).map((value): TBodyPlan => ({ kind: "json", value })),
      },
      { weight: 1, arbitrary: nastyValue.map((value): TBodyPlan => ({ kind: "json", value })) },
      {
        weight: 1,
        arbitrary: badJson.map((text): TBodyPlan => ({
          kind: "raw",
          text,
          contentType: "application/json",
        })),
      },
      { weight: 1, arbitrary: wrongType },
    );
  }
  const form = resolve(content["multipart/form-data"]?.schema ?? {}, c);
  const props = form.properties ?? {};
  const fileNames = Object.keys(props).filter((k) => resolve(props[k], c).format === "binary");
  const fieldNames = Object.keys(props).filter((k) => !fileNames.includes(k));
  const fileContent = fc.oneof(
    fc.constant(HARMLESS_DIFF),
    fc.constant(HARMLESS_DIFF.replace("new line", "new\u0000line")),
    fc.constant("--- a/../../etc/passwd\n+++ b/../../etc/passwd\n@@ -1 +1 @@\n-a\n+b\n"),
    fc.string({ maxLength: 200 }),
    fc.constant(""),
  );
  const multipart = fc
    .record({
      fields: fc.record(
        Object.fromEntries(
          fieldNames.map((k) => [k, fc.oneof(validValue(props[k], c), nastyString).map(asText)]),
        ),
        { requiredKeys: [] },
      ),
      files: fc.record(Object.fromEntries(fileNames.map((k) => [k, fileContent])), {
        requiredKeys: [],
      }),
    })
    .map(({ fields, files }): TBodyPlan => ({
      kind: "multipart",
      fields: fields as Record<string, string>,
      files: files as Record<string, string>,
    }));
  const noBoundary = fc
    .string({ maxLength: 100 })
    .map((text): TBodyPlan => ({ kind: "raw", text, contentType: "multipart/form-data" }));
  return fc.oneof(
    { weight: 5, arbitrary: multipart },
    { weight: 1, arbitrary: noBoundary },
    { weight: 1, arbitrary: wrongType },
  );
}

function planOf(ops: TOp[], known: Record<string, string[]>, c: TComponents): fc.Arbitrary<TPlan> {
  return fc.constantFrom(...ops).chain((op) => {
    const params = op.op.parameters ?? [];
    const pathParams = params.filter((p) => p.in === "path");
    const queryParams = params.filter((p) => p.in === "query");
    return fc.record({
      op: fc.constant(op),
      withToken: fc.boolean(),
      params: fc.record(
        Object.fromEntries(pathParams.map((p) => [p.name, paramValue(p, known, c)])),
      ) as fc.Arbitrary<Record<string, string>>,
      query: fc
        .tuple(
          ...queryParams.map((p) =>
            fc.option(
              paramValue(p, known, c).map((v): [string, string] => [p.name, v]),
              {
                nil: undefined,
                freq: 2,
              },
            ),
          ),
        )
        .map((pairs) => pairs.filter((x): x is [string, string] => x !== undefined)),
      body: bodyPlan(op.op, c),
    });
  });
}

async function sendPlan(base: string, plan: TPlan, token: string) {
  const path = plan.op.path.replace(/\{(\w+)\}/g, (_, name: string) => segment(plan.params[name]));
  const qs = new URLSearchParams(plan.query).toString();
  const headers: Record<string, string> = {};
  if (plan.withToken) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  const b = plan.body;
  if (b?.kind === "json") {
    body = JSON.stringify(b.value) ?? "null";
    headers["content-type"] = "application/json";
  } else if (b?.kind === "raw") {
    body = b.text;
    if (b.contentType) headers["content-type"] = b.contentType;
  } else if (b?.kind === "multipart") {
    const form = new FormData();
    for (const [k, v] of Object.entries(b.fields)) form.append(k, v);
    for (const [k, v] of Object.entries(b.files))
      form.append(k, new Blob([v], { type: "text/x-diff" }), `${k}.diff`);
    body = form;
  }
  return send(`${base}${path}${qs ? `?${qs}` : ""}`, {
    method: plan.op.method.toUpperCase(),
    headers,
    body,
    redirect: "manual",
  });
}

function describePlan(plan: TPlan): string {
  const body = plan.body ? ` body=${JSON.stringify(plan.body).slice(0, 200)}` : "";
  return `${plan.op.method.toUpperCase()} ${plan.op.path} ${plan.withToken ? "token" : "no token"} params=${JSON.stringify(plan.params).slice(0, 120)} query=${JSON.stringify(plan.query).slice(0, 120)}${body}`;
}

// Control characters (but tab and newline), bidi controls, and integers past PostgreSQL's range:
// the input finding 10 of issue #11 refuses with 400. Named in the output so a 500 says why.
// Tested on the plan as JSON, which writes control characters as \u00XX, \b, \f or \r.
const HYGIENE = /\\u00[01][0-9a-f]|\\[bfr]|[\u007f\u202a-\u202e\u2066-\u2069]|\d{10,}|e\+?\d{2,}/i;

const mediaType = (ct: string | null) => (ct ?? "").split(";")[0].trim().toLowerCase();

test("API fuzzing against the OpenAPI document: no 5xx, only documented statuses, types and bodies", async ({
  baseURL,
}) => {
  test.setTimeout(300_000);
  const base = baseURL!;
  const doc = (await (await send(`${base}/api/v1/openapi.json`, {})).json()) as TDocument;
  const c = doc.components;

  // A person with every role and a key, a system and a real patch, so the
  // generated requests reach past "not found" as well.
  const all = await keyedPerson(ROLES.map((r) => r.toLowerCase().replace("_", "-")));
  const system = createSystem("webdb");
  const form = new FormData();
  for (const [k, v] of Object.entries({
    system,
    title: "Fuzzing target",
    summary: "A real patch for the fuzzer to reach.",
    bugId: "4711",
    bugSummary: "fuzz",
  }))
    form.append(k, v);
  form.append("diff", new Blob([HARMLESS_DIFF]), "a.diff");
  const created = await send(`${base}/api/v1/patches`, {
    method: "POST",
    headers: { authorization: `Bearer ${all.token}` },
    body: form,
  });
  expect(created.status).toBe(201);
  const patch = (await created.json()) as { id: string };
  const known = {
    id: [patch.id, "cm0nosuchpatch000000000000"],
    slug: [system, "no-such-system"],
    n: ["3", "7", "13"],
  };

  const ops: TOp[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method, path, op })),
  );

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("binary", true);
  const validators = new Map<TSchema, ReturnType<typeof ajv.compile>>();
  const validate = (schema: TSchema) => {
    let v = validators.get(schema);
    if (!v) {
      v = ajv.compile({ ...schema, components: c });
      validators.set(schema, v);
    }
    return v;
  };

  const plans = fc.sample(planOf(ops, known, c), { numRuns: RUNS, seed: SEED });
  const problems: string[] = [];
  let serverErrors = 0;
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < plans.length) {
        const index = next++;
        const plan = plans[index];
        const res = await sendPlan(base, plan, all.token);
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const where = `#${index} ${describePlan(plan)} -> ${res.status}`;
        if (res.status >= 500) {
          serverErrors++;
          const hygiene = HYGIENE.test(JSON.stringify(plan)) ? " [input hygiene]" : "";
          problems.push(`${where}: server error${hygiene} ${text.slice(0, 200)}`);
          continue;
        }
        const documented = plan.op.op.responses[String(res.status)] ?? plan.op.op.responses.default;
        if (!documented) {
          problems.push(`${where}: status not documented (${text.slice(0, 160)})`);
          continue;
        }
        const type = mediaType(res.headers.get("content-type"));
        const media = Object.entries(documented.content ?? {}).find(
          ([t]) => mediaType(t) === type,
        )?.[1];
        if (!media) {
          if (text.length > 0)
            problems.push(`${where}: content type "${type}" not documented for ${res.status}`);
          continue;
        }
        if (type === "application/json" && media.schema) {
          const v = validate(media.schema);
          if (!v(JSON.parse(text)))
            problems.push(
              `${where}: body does not match the schema: ${ajv.errorsText(v.errors).slice(0, 300)}`,
            );
        }
      }
    }),
  );

  console.log(
    `API fuzzing: ${plans.length} requests (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}), 5xx ${serverErrors}, ` +
      `problems ${problems.length}; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
  );
  for (const p of problems) console.log(`  ${p}`);
  expect(problems).toEqual([]);
});
