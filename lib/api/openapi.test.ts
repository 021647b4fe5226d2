import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type {
  ZodOpenApiOperationObject,
  ZodOpenApiRequestBodyObject,
  ZodOpenApiResponseObject,
} from "zod-openapi";
import { apiPaths, openApiDocument } from "./openapi";
import { ROUTES } from "../../e2e/security/access-table";
import { documentedStatuses } from "../../test/api-shape";

const V1 = path.resolve("app/api/v1");

const paths = openApiDocument.paths ?? {};

/**
 * Each route handler's own source (from its `export const METHOD` to the next
 * export), keyed like the access table ("POST /api/v1/patches/[id]/signoffs"),
 * with the document's path for it.
 */
function handlerSources(): { key: string; method: string; docPath: string; source: string }[] {
  const found: { key: string; method: string; docPath: string; source: string }[] = [];
  for (const file of readdirSync(V1, { recursive: true, encoding: "utf8" }).filter(
    (f) => path.basename(f) === "route.ts" && !f.includes("[..."),
  )) {
    const dir = path.dirname(file).split(path.sep);
    const docPath = "/api/v1/" + dir.map((s) => s.replace(/^\[(\w+)\]$/, "{$1}")).join("/");
    const text = readFileSync(path.join(V1, file), "utf8");
    const starts = [...text.matchAll(/^export (?:const|(?:async )?function) (\w+)\b/gm)];
    starts.forEach((m, i) => {
      if (!/^(GET|POST|PUT|PATCH|DELETE)$/.test(m[1])) return;
      found.push({
        key: `${m[1]} /api/v1/${dir.join("/")}`,
        method: m[1],
        docPath,
        source: text.slice(m.index, starts[i + 1]?.index ?? text.length),
      });
    });
  }
  return found;
}

/** Every route handler under app/api/v1 as "METHOD /api/v1/path/{param}"; the catch-all 404 is not an operation. */
const routeHandlers = (): string[] =>
  handlerSources()
    .map(({ method, docPath }) => `${method} ${docPath}`)
    .sort();

function documented(): string[] {
  return Object.entries(paths)
    .filter(([p]) => p.startsWith("/api/v1/"))
    .flatMap(([p, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${p}`))
    .sort();
}

/** Where the parts still describe a shape by hand (a JSON Schema object or a `parameters` list) instead of by a zod schema. */
function handWritten(): string[] {
  const found: string[] = [];
  const isZod = (s: unknown) => s instanceof z.ZodType;
  for (const [p, item] of Object.entries(apiPaths)) {
    for (const [method, op] of Object.entries(item as Record<string, ZodOpenApiOperationObject>)) {
      const at = `${method.toUpperCase()} ${p}`;
      if (op.parameters) found.push(`${at}: parameters`);
      for (const [where, s] of Object.entries(op.requestParams ?? {}))
        if (!isZod(s)) found.push(`${at}: ${where} params`);
      const body = op.requestBody as ZodOpenApiRequestBodyObject | undefined;
      for (const [type, media] of Object.entries(body?.content ?? {}))
        if (!isZod(media?.schema)) found.push(`${at}: ${type} body`);
      for (const [status, res] of Object.entries(op.responses ?? {})) {
        const r = res as ZodOpenApiResponseObject;
        for (const [type, media] of Object.entries(r.content ?? {}))
          if (!isZod(media?.schema)) found.push(`${at} → ${status} ${type}`);
        if (r.headers && !isZod(r.headers)) found.push(`${at} → ${status} headers`);
      }
    }
  }
  return found;
}

describe("the OpenAPI document", () => {
  it("describes exactly the route handlers under app/api/v1", () => {
    expect(documented()).toEqual(routeHandlers());
  });

  it("is generated: every parameter, body and answer is a zod schema, none written by hand", () => {
    expect(handWritten()).toEqual([]);
  });

  it("is valid OpenAPI 3.1", async () => {
    const result = await new Validator().validate(
      structuredClone(openApiDocument) as unknown as Parameters<Validator["validate"]>[0],
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  // Statuses every route can answer by construction, whatever its use-case says: a route
  // documents them, or a client learns of them only when it gets one.
  it("documents 403 where a read-scope token or a missing permission is refused", () => {
    const missing = handlerSources()
      .filter(({ key, method, source }) => {
        const needs = (ROUTES as Record<string, { needs: string } | undefined>)[key]?.needs;
        const byScope = method !== "GET" && source.includes("apiRoute");
        const byRole =
          needs !== undefined && !["public", "signed-in", "temporary-ok"].includes(needs);
        return byScope || byRole;
      })
      .filter(({ method, docPath }) => !documentedStatuses(docPath, method).includes("403"))
      .map(({ key }) => key);
    expect(missing).toEqual([]);
  });

  it("documents 413 for every handler that reads a JSON body (readJson's cap)", () => {
    const missing = handlerSources()
      .filter(({ source }) => source.includes("readJson("))
      .filter(({ method, docPath }) => !documentedStatuses(docPath, method).includes("413"))
      .map(({ key }) => key);
    expect(missing).toEqual([]);
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
