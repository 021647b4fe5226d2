import { describe, expect, it } from "vitest";
import { verificationNote, verifiedVersions } from "./verification-comment";

describe("the verification comment's text", () => {
  it("names the verdict, tag, signer, comment, each package version and the link", () => {
    expect(
      verificationNote({
        verdict: "fail",
        series: "noble",
        tag: "verification-failed-noble",
        signer: "Tess <tess@example.org>",
        comment: "  nginx plugin fails to reload.\n",
        versions: [
          ["python-acme", "2.9.0-1~24.04.1"],
          ["python-certbot-nginx", "2.9.0-1~24.04.1"],
        ],
        url: "https://patchgate.example.org/updates/u1",
      }),
    ).toBe(
      [
        "Verification failed for noble (verification-failed-noble)",
        "Signed by Tess <tess@example.org>.",
        "",
        "nginx plugin fails to reload.",
        "",
        "python-acme 2.9.0-1~24.04.1",
        "python-certbot-nginx 2.9.0-1~24.04.1",
        "",
        "https://patchgate.example.org/updates/u1",
      ].join("\n"),
    );
  });

  it("falls back to the record's version for each package when the statement names none", () => {
    expect(verifiedVersions("not a statement", ["python-acme"], "2.9.0")).toEqual([
      ["python-acme", "2.9.0"],
    ]);
  });
});
