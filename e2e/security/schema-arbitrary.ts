import fc from "fast-check";

// fast-check arbitraries from the JSON Schemas of the OpenAPI document (the
// subset it uses), and the hostile values an attacker sends instead.

export type TSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: readonly unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, TSchema>;
  required?: readonly string[];
  items?: TSchema;
  anyOf?: TSchema[];
  oneOf?: TSchema[];
  allOf?: TSchema[];
};

export type TComponents = { schemas: Record<string, TSchema> };

export function resolve(schema: TSchema, components: TComponents): TSchema {
  let s = schema;
  while (s.$ref) s = components.schemas[s.$ref.replace("#/components/schemas/", "")];
  return s;
}

/** Values the schema allows (kept short: the point is the shape, not the size). */
export function validValue(schema: TSchema, components: TComponents): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  // zod's unions and nullables come out as anyOf; an allOf is taken by its first part.
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => validValue(a, components)));
  if (s.allOf?.length) return validValue(s.allOf[0], components);
  if (s.enum) return fc.constantFrom(...s.enum);
  if ("const" in s) return fc.constant(s.const);
  const types = Array.isArray(s.type)
    ? s.type
    : s.type
      ? [s.type]
      : s.properties
        ? ["object"]
        : ["string"];
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case "integer":
          return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 1_000_000 });
        case "number":
          return fc.double({ noNaN: true, noDefaultInfinity: true });
        case "boolean":
          return fc.boolean();
        case "null":
          return fc.constant(null);
        case "array":
          return fc.array(validValue(s.items ?? {}, components), {
            minLength: s.minItems ?? 0,
            maxLength: Math.min(s.maxItems ?? 3, 3),
          });
        case "object": {
          if (!s.properties)
            return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), {
              maxKeys: 3,
            });
          const props = Object.fromEntries(
            Object.entries(s.properties).map(([k, v]) => [k, validValue(v, components)]),
          );
          return fc.record(props, { requiredKeys: [...(s.required ?? [])] });
        }
        default:
          if (s.pattern) {
            // fast-check cannot generate from every pattern zod emits (lookaheads, in e-mail
            // and date patterns); then any short string will do: the server must still answer.
            try {
              return fc.stringMatching(new RegExp(s.pattern));
            } catch {
              return fc.string({ maxLength: 40 });
            }
          }
          if (s.format === "date-time") return fc.date().map((d) => d.toISOString());
          return fc.string({
            minLength: s.minLength ?? 0,
            maxLength: Math.max(s.minLength ?? 0, Math.min(s.maxLength ?? 40, 40)),
          });
      }
    }),
  );
}

/** Strings no field should take: control characters, bidi overrides, NUL, long, traversal. */
function nasty(long: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string().map((s) => `${s}\u0000${s}`),
    fc.string().map((s) => `\u202e${s}\u2066`),
    fc.constantFrom("\u0007\u001b[31m", "../../../etc/passwd", "%00", "' OR 1=1 --", "${{7*7}}"),
    fc.constant("x".repeat(long)),
    fc.string({ unit: "binary", maxLength: 60 }),
    fc.constantFrom("", " ", "null", "[]", "{}", "-1", "0", "1e309", "NaN"),
  );
}

/** For bodies: up to 100 000 characters (below the 1 MiB JSON cap). */
export const nastyString = nasty(100_000);
/** For paths and query strings: Node refuses a request line above 16 KiB before the app sees it. */
export const nastyUrlString = nasty(4_000);

/** Integers out of every range the API or PostgreSQL takes, as numbers and as text. */
export const nastyInteger: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    2 ** 31,
    2 ** 31 - 1,
    2 ** 53 + 2,
    -(2 ** 63),
    1e308,
    1.5,
    "99999999999999999999999",
    "1e3",
    "0x10",
  ),
  fc.bigInt({ min: 2n ** 63n, max: 2n ** 70n }).map((n) => n.toString()),
);

/** Any value of the wrong kind, for a JSON field. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  nastyInteger,
  fc.constantFrom(null, true, false, [], {}, [null], { $ne: null }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A schema-valid object with one field (or one more) made hostile. */
export function corruptedObject(
  schema: TSchema,
  components: TComponents,
): fc.Arbitrary<Record<string, unknown>> {
  const s = resolve(schema, components);
  const keys = Object.keys(s.properties ?? {});
  return fc
    .tuple(
      validValue(s, components).map((v) =>
        v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {},
      ),
      fc.constantFrom(...keys, "__proto__", "extra"),
      nastyValue,
    )
    .map(([obj, key, value]) => ({ ...obj, [key]: value }));
}
