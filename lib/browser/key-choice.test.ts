import { describe, expect, it } from "vitest";
import { fittingKeys, isRegistered, keyToRequest, preselectedKey } from "./key-choice";

const A = "A".repeat(40);
const B = "B".repeat(40);
const C = "C".repeat(40);
const stored = [{ fingerprint: A }, { fingerprint: B }, { fingerprint: C }];

describe("choosing a stored key in the signing dialog", () => {
  it("matches a fingerprint against the registered ones, whatever the case", () => {
    expect(isRegistered(a(A), [A])).toBe(true);
    expect(isRegistered(A, [B])).toBe(false);
    expect(isRegistered(A, [])).toBe(false);
  });

  it("offers only keys registered to this person or named by the statement", () => {
    expect(fittingKeys(stored, [A]).map((k) => k.fingerprint)).toEqual([A]);
    expect(fittingKeys(stored, [A], C).map((k) => k.fingerprint)).toEqual([A, C]);
    expect(fittingKeys(stored, [a(B)]).map((k) => k.fingerprint)).toEqual([B]);
    expect(fittingKeys(stored, [])).toEqual([]);
  });

  it("asks the server for the only fitting key's statement, else leaves the choice to it", () => {
    expect(keyToRequest([{ fingerprint: A }])).toBe(A);
    expect(keyToRequest([])).toBeUndefined();
    expect(keyToRequest([{ fingerprint: A }, { fingerprint: B }])).toBeUndefined();
  });

  it("preselects the named key, else the only one, else nothing", () => {
    expect(preselectedKey([{ fingerprint: A }, { fingerprint: B }], B)).toBe(B);
    expect(preselectedKey([{ fingerprint: A }], a(A))).toBe(A);
    expect(preselectedKey([{ fingerprint: A }], C)).toBe(A);
    expect(preselectedKey([{ fingerprint: A }, { fingerprint: B }], C)).toBeNull();
    expect(preselectedKey([], C)).toBeNull();
  });
});

function a(f: string) {
  return f.toLowerCase();
}
