import { describe, expect, it } from "vitest";
import { cleanPackageFileName, contentFileName, isInboxPackageName } from "./package-file";

describe("package file names", () => {
  it("keeps a plain name and takes the last segment of a path", () => {
    expect(cleanPackageFileName("os4x3_full_pe_Linux-x86.sh.signed")).toBe(
      "os4x3_full_pe_Linux-x86.sh.signed",
    );
    expect(cleanPackageFileName("C:\\tmp\\OS4X_UPDATE")).toBe("OS4X_UPDATE");
    expect(cleanPackageFileName("../../etc/passwd")).toBe("passwd");
  });

  it("never refuses: hidden characters become _, nothing becomes 'package'", () => {
    expect(cleanPackageFileName("evil\u202Egnp.sh")).toBe("evil_gnp.sh");
    expect(cleanPackageFileName("a\nb\u0000c")).toBe("a_b_c");
    expect(cleanPackageFileName("")).toBe("package");
    expect(cleanPackageFileName(undefined)).toBe("package");
    expect(cleanPackageFileName("..")).toBe("package");
    expect(cleanPackageFileName("x".repeat(300))).toHaveLength(255);
  });

  it("takes OS4X_UPDATE and *.signed from the drop directory, nothing else", () => {
    expect(isInboxPackageName("OS4X_UPDATE")).toBe(true);
    expect(isInboxPackageName("os4x3_full.sh.signed")).toBe(true);
    expect(isInboxPackageName(".os4x3_full.sh.signed")).toBe(false);
    expect(isInboxPackageName(".signed")).toBe(false);
    expect(isInboxPackageName("OS4X_UPDATE.part")).toBe(false);
    expect(isInboxPackageName("notes.txt")).toBe(false);
  });

  it("names the content after the package", () => {
    expect(contentFileName("os4x3_full.sh.signed")).toBe("os4x3_full.sh");
    expect(contentFileName("OS4X_UPDATE")).toBe("OS4X_UPDATE.content");
  });
});
