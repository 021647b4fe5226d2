import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

const V1 = path.resolve("app/api/v1");

/** Every route handler under app/api/v1 as "METHOD /api/v1/path/{param}"; the catch-all 404 is not an operation. */
function routeHandlers(): string[] {
  const found: string[] = [];
  for (const file of readdirSync(V1, { recursive: true, encoding: "utf8" }).filter(
    (f) => path.basename(f) === "route.ts" && !f.includes("[..."),
  )) {
    const route =
      "/api/v1/" +
      path
        .dirname(file)
        .split(path.sep)
        .map((seg) => seg.replace(/^\[(\w+)\]$/, "{$1}"))
        .join("/");
    const source = readFileSync(path.join(V1, file), "utf8");
    for (const m of source.matchAll(
      /^export (?:const|(?:async )?function) (GET|POST|PUT|PATCH|DELETE)\b/gm,
    ))
      found.push(`${m[1]} ${route}`);
  }
  return found.sort();
}

const paths = openApiDocument.paths ?? {};

function documented(): string[] {
  return Object.entries(paths)
    .filter(([p]) => p.startsWith("/api/v1/"))
    .flatMap(([p, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${p}`))
    .sort();
}

describe("the OpenAPI document", () => {
  it("describes exactly the route handlers under app/api/v1", () => {
    expect(documented()).toEqual(routeHandlers());
  });

  it("is valid OpenAPI 3.1", async () => {
    const result = await new Validator().validate(
      structuredClone(openApiDocument) as unknown as Parameters<Validator["validate"]>[0],
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("resolves every $ref and gives every operation a 2xx response", () => {
    const text = JSON.stringify(openApiDocument);
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)) {
      expect(openApiDocument.components?.schemas, name).toHaveProperty(name);
    }
    for (const ops of Object.values(paths)) {
      for (const op of Object.values(ops) as { responses: object }[])
        expect(Object.keys(op.responses).some((s) => s.startsWith("2"))).toBe(true);
    }
    expect(openApiDocument.openapi).toBe("3.1.0");
  });
});
