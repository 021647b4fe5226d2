import { describe, expect, it } from "vitest";
import { checkStepEvidence, type TEvidenceContext } from "./step-evidence";

// P5, the failure path as the seed has it, and the service started again.

const WEBDB: TEvidenceContext = { procedure: "WEBDB", serviceStopped: false, restartStep: 9 };
const STOPPED: TEvidenceContext = { ...WEBDB, serviceStopped: true };
const SIGNER: TEvidenceContext = {
  procedure: "SIGNING_SERVER",
  serviceStopped: true,
  restartStep: 7,
};
const FAILED = { output: "Hunk #1 FAILED at 3.", result: "failed" };

describe("checkStepEvidence", () => {
  const accepted: [string, number, Record<string, unknown>, TEvidenceContext, object][] = [
    [
      "a failed apply with its back-out",
      5,
      { ...FAILED, backOutOutput: "patching file a.php" },
      WEBDB,
      { ...FAILED, backOutOutput: "patching file a.php" },
    ],
    [
      "a failed apply that changed nothing",
      5,
      { ...FAILED, nothingChanged: true, webServerRunning: false },
      WEBDB,
      { ...FAILED, nothingChanged: true },
    ],
    [
      "a failed apply after a stop, the web server running again",
      5,
      { ...FAILED, nothingChanged: true, webServerRunning: true },
      STOPPED,
      { ...FAILED, nothingChanged: true, webServerRunning: true },
    ],
    [
      "a clean apply: the failure fields are left out",
      5,
      { output: "patching file a.php", result: "clean", backOutOutput: "", nothingChanged: false },
      WEBDB,
      { output: "patching file a.php", result: "clean" },
    ],
    [
      "step 9 after a stop, running again",
      9,
      { webServerRunning: true },
      STOPPED,
      { webServerRunning: true },
    ],
    ["step 9 without a stop", 9, { note: "" }, WEBDB, {}],
  ];
  it.each(accepted)("accepts %s", (_, n, raw, ctx, expected) => {
    expect(checkStepEvidence(n as 5, raw, ctx)).toEqual(expected);
  });

  const refused: [string, number, Record<string, unknown>, TEvidenceContext, RegExp][] = [
    ["a failed apply without back-out", 5, FAILED, WEBDB, /records the back-out/],
    [
      "a failed apply with an empty back-out",
      5,
      { ...FAILED, backOutOutput: "  ", nothingChanged: false },
      WEBDB,
      /records the back-out/,
    ],
    [
      "both a back-out and nothing changed",
      5,
      { ...FAILED, backOutOutput: "x", nothingChanged: true },
      WEBDB,
      /not both/,
    ],
    [
      "a failed apply after a stop, the web server not confirmed",
      5,
      { ...FAILED, nothingChanged: true },
      STOPPED,
      /stopped the web server at step 4: start it again \(sudo service apache2 start\)/,
    ],
    [
      "the signing server's last step after a stop, the signing process not confirmed",
      7,
      { tarball: "cacert-20261202.tar.gz", tarballSha256: "a".repeat(64) },
      SIGNER,
      /stopped the signing process at step 4: start it again \(service commmodule start\)/,
    ],
    ["step 9 after a stop, not confirmed", 9, {}, STOPPED, /apache2 start/],
    ["a result that is neither", 5, { output: "x", result: "maybe" }, WEBDB, /Choose the result/],
    ["step 3 without the checksum", 3, {}, WEBDB, /sha256sum/],
  ];
  it.each(refused)("refuses %s", (_, n, raw, ctx, message) => {
    expect(() => checkStepEvidence(n as 5, raw, ctx)).toThrow(
      expect.objectContaining({ code: "VALIDATION", message: expect.stringMatching(message) }),
    );
  });
});
