import "server-only";
import type { TokenScope } from "../../generated/prisma/client";
import type { TTokenScope } from "../../domain/token-scope";

// The database spells scopes in upper case (an enum), people and the API in lower case.
export const scopeOf = (s: TokenScope): TTokenScope => (s === "READ" ? "read" : "sign");
export const scopeColumn = (s: TTokenScope): TokenScope => (s === "read" ? "READ" : "SIGN");
