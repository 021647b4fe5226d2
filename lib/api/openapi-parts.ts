// Pieces every part of the OpenAPI document uses (openapi.ts, openapi-hotfixes.ts).

export const error = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});
export const json = (description: string, schema: object) => ({
  description,
  content: { "application/json": { schema } },
});
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const E400 = error(
  "VALIDATION: the input is invalid (including control characters, bidi controls or a number beyond 2147483647 in any typed field, path id or query); the message names each bad field.",
);
export const E401 = error(
  "UNAUTHENTICATED: no valid token (missing, unknown, revoked or expired).",
);
export const E403 = error(
  "FORBIDDEN: the token has the read scope (only GET and HEAD), or the actor's roles, a separation-of-duties rule, the gate order or the patch's state refuse this.",
);
