import { describe, expect, it } from "vitest";
import { Prisma } from "../db";
import { isDatabaseUnavailable, isUniqueViolation } from "./prisma-errors";

const known = (code: string, message = "x") =>
  new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: "6" });

describe("isDatabaseUnavailable", () => {
  it("is true for Prisma's unreachable codes and a dropped or refused connection", () => {
    expect(isDatabaseUnavailable(known("P1001"))).toBe(true);
    expect(isDatabaseUnavailable(known("P1017"))).toBe(true);
    const adapter = Object.assign(new Error("driver"), {
      name: "DriverAdapterError",
      cause: {
        kind: "postgres",
        code: "57P01",
        message: "terminating connection due to administrator command",
      },
    });
    expect(isDatabaseUnavailable(adapter)).toBe(true);
    expect(
      isDatabaseUnavailable(
        new Prisma.PrismaClientUnknownRequestError(
          "Client has encountered a connection error and is not queryable",
          { clientVersion: "6" },
        ),
      ),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Prisma.PrismaClientInitializationError("no", "6"))).toBe(true);
  });

  it("is false for a query's own errors and for other peers' refused connections", () => {
    expect(isDatabaseUnavailable(known("P2002"))).toBe(false);
    expect(isDatabaseUnavailable(known("P2025"))).toBe(false);
    // The mail server refusing is not the database.
    const smtp = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:2525"), {
      code: "ESOCKET",
    });
    expect(isDatabaseUnavailable(smtp)).toBe(false);
    expect(isDatabaseUnavailable(new Error("ECONNREFUSED"))).toBe(false);
  });
});

describe("isUniqueViolation", () => {
  it("is true for a model query's P2002 and a raw query's P2010 whose adapter names the kind", () => {
    expect(isUniqueViolation(known("P2002"))).toBe(true);
    const raw = new Prisma.PrismaClientKnownRequestError("Raw query failed", {
      code: "P2010",
      clientVersion: "6",
      meta: {
        driverAdapterError: {
          name: "DriverAdapterError",
          cause: { originalCode: "23505", kind: "UniqueConstraintViolation" },
        },
      },
    });
    expect(isUniqueViolation(raw)).toBe(true);
  });

  it("is false for other raw failures and other errors", () => {
    const raw = new Prisma.PrismaClientKnownRequestError("Raw query failed", {
      code: "P2010",
      clientVersion: "6",
      meta: {
        driverAdapterError: {
          cause: { originalCode: "23503", kind: "ForeignKeyConstraintViolation" },
        },
      },
    });
    expect(isUniqueViolation(raw)).toBe(false);
    expect(isUniqueViolation(known("P2025"))).toBe(false);
    expect(isUniqueViolation(new Error("duplicate key"))).toBe(false);
  });
});
