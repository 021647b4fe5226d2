import { describe, expect, it } from "vitest";
import { userIdAddress, userIdsClaimEmail } from "./key-user-ids";

describe("key user IDs and the account's e-mail", () => {
  it("reads `Name <address>`, `Name (comment) <address>` and a bare address", () => {
    expect(userIdAddress("Ada Assessor <Ada@Example.org>")).toBe("ada@example.org");
    expect(userIdAddress("Ada (work) <ada@example.org>")).toBe("ada@example.org");
    expect(userIdAddress("<ada@example.org>")).toBe("ada@example.org");
    expect(userIdAddress("ada@example.org")).toBe("ada@example.org");
    expect(userIdAddress("Ada Assessor")).toBeNull();
    expect(userIdAddress("Ada ada@example.org")).toBeNull();
  });

  it("matches case-insensitively, any of several user IDs", () => {
    expect(userIdsClaimEmail(["Old <old@example.org>", "ADA@EXAMPLE.ORG"], "ada@example.org")).toBe(
      true,
    );
    expect(userIdsClaimEmail(["Ada <ada@example.org>"], " Ada@Example.ORG ")).toBe(true);
  });

  it("refuses a name alone, another address, or an address merely containing it", () => {
    expect(userIdsClaimEmail(["Ada Assessor"], "ada@example.org")).toBe(false);
    expect(userIdsClaimEmail(["Ada <mallory@example.org>"], "ada@example.org")).toBe(false);
    expect(userIdsClaimEmail(["Ada <xada@example.org>"], "ada@example.org")).toBe(false);
    expect(userIdsClaimEmail(["Ada <ada@example.org.evil>"], "ada@example.org")).toBe(false);
    expect(userIdsClaimEmail([], "ada@example.org")).toBe(false);
  });
});
