import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "../errors";
import { Prisma } from "../db";
import { DATABASE_UNREACHABLE, toActionResult } from "./action-result";

// The code beside the message lets callers (and the authorization matrix in
// e2e/security/) tell a refusal from bad input without reading the text.
describe("toActionResult", () => {
  it("returns the AppError's code with its message", async () => {
    expect(
      await toActionResult(async () => {
        throw new AppError("FORBIDDEN", "Your roles do not allow outbox:manage.");
      }),
    ).toEqual({ ok: false, error: "Your roles do not allow outbox:manage.", code: "FORBIDDEN" });
  });

  it("calls a zod error VALIDATION, and anything else INTERNAL without its text", async () => {
    const bad = await toActionResult(async () => z.object({ n: z.number() }).parse({ n: "x" }));
    expect(bad).toMatchObject({ ok: false, code: "VALIDATION" });
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const internal = await toActionResult(async () => {
      throw new Error("connection string postgres://secret");
    });
    spy.mockRestore();
    expect(internal).toEqual({
      ok: false,
      error: "Something went wrong on the server; nothing was changed.",
      code: "INTERNAL",
    });
  });

  it("passes a success through with its message", async () => {
    expect(await toActionResult(async () => 42, "Done.")).toEqual({
      ok: true,
      data: 42,
      message: "Done.",
    });
  });

  it("tells the form plainly when the database is unreachable (a restart), as UNAVAILABLE", async () => {
    const r = await toActionResult(async () => {
      throw new Prisma.PrismaClientKnownRequestError("Can't reach database server", {
        code: "P1001",
        clientVersion: "6",
      });
    });
    expect(r).toEqual({ ok: false, error: DATABASE_UNREACHABLE, code: "UNAVAILABLE" });
  });
});
