import { describe, expect, it } from "vitest";
import { newPassphraseProblem } from "./passphrase";

describe("a passphrase chosen in the browser", () => {
  it("is long enough and typed the same twice", () => {
    expect(newPassphraseProblem("short", "short")?.reason).toBe("weak-passphrase");
    expect(newPassphraseProblem("correct horse battery", "other")?.reason).toBe(
      "passphrases-differ",
    );
    expect(newPassphraseProblem("correct horse battery", "correct horse battery")).toBeNull();
  });
});
