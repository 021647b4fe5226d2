import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCa, makeSigner, openssl, type TCertFiles } from "../../test/update-corpus";
import { isAppError } from "../errors";
import { opensslDate, readCertificate } from "./certificate";

let dir: string;
const certs: Record<string, TCertFiles> = {};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "patchgate-cert-"));
  const ca = makeCa({
    dir,
    name: "ca",
    subject: "CN=c-works software update CA, O=c-works",
    notBefore: new Date("2024-01-01T00:00:00Z"),
    notAfter: new Date("2034-01-01T00:00:00Z"),
  });
  certs.ca = ca;
  // The two shapes of openssl's date: a two-digit day and a space-padded one.
  certs.signer = makeSigner({
    dir,
    name: "signer",
    subject: "CN=c-works software update, O=c-works",
    ca,
    notBefore: new Date("2025-06-15T18:18:53Z"),
    notAfter: new Date("2032-06-15T18:18:53Z"),
  });
  certs.padded = makeSigner({
    dir,
    name: "padded",
    subject: "CN=c-works software update 2, O=c-works",
    ca,
    notBefore: new Date("2025-06-05T08:01:02Z"),
    notAfter: new Date("2032-06-05T08:01:02Z"),
  });
  certs.selfSigned = makeSigner({
    dir,
    name: "self",
    subject: "CN=Self Signed Update, O=Somebody",
    notBefore: new Date("2020-01-01T00:00:00Z"),
    notAfter: new Date("2050-02-01T00:00:00Z"),
  });
  certs.intermediate = makeCa({
    dir,
    name: "intermediate",
    subject: "CN=c-works signing CA 1, O=c-works",
    issuer: ca,
    notBefore: new Date("2024-01-01T00:00:00Z"),
    notAfter: new Date("2033-10-06T16:54:22Z"),
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusal(bytes: Uint8Array): string {
  try {
    readCertificate(bytes);
  } catch (e) {
    if (isAppError(e) && e.code === "VALIDATION") return e.message;
    throw e;
  }
  throw new Error("accepted");
}

describe("readCertificate", () => {
  it("says what openssl x509 says: end date, SHA-256 of the DER, subject and issuer", () => {
    for (const c of Object.values(certs)) {
      const facts = readCertificate(new Uint8Array(readFileSync(c.certPath)));
      const enddate = openssl(["x509", "-in", c.certPath, "-noout", "-enddate"]).toString().trim();
      expect(`notAfter=${facts.notAfterText}`).toBe(enddate);
      const der = openssl(["x509", "-in", c.certPath, "-outform", "DER"]);
      expect(facts.sha256).toBe(createHash("sha256").update(der).digest("hex"));
      expect(Buffer.from(facts.der).equals(der)).toBe(true);
      const subject = openssl(["x509", "-in", c.certPath, "-noout", "-subject"]).toString();
      expect(`subject=${facts.subject.replaceAll("=", " = ")}\n`).toBe(subject);
      const issuer = openssl(["x509", "-in", c.certPath, "-noout", "-issuer"]).toString();
      expect(`issuer=${facts.issuer.replaceAll("=", " = ")}\n`).toBe(issuer);
      expect(facts.notAfter.getTime()).toBe(c.notAfter.getTime());
      expect(facts.notBefore.getTime()).toBe(c.notBefore.getTime());
    }
  });

  it("prints the dates as openssl does, the day padded with a space", () => {
    expect(readCertificate(certs.signer.der).notAfterText).toBe("Jun 15 18:18:53 2032 GMT");
    expect(readCertificate(certs.padded.der).notAfterText).toBe("Jun  5 08:01:02 2032 GMT");
    expect(opensslDate(new Date("2026-01-01T00:00:00Z"))).toBe("Jan  1 00:00:00 2026 GMT");
    expect(opensslDate(new Date("2049-12-31T23:59:59Z"))).toBe("Dec 31 23:59:59 2049 GMT");
  });

  it("reads PEM and DER alike", () => {
    for (const c of Object.values(certs)) {
      const fromPem = readCertificate(new Uint8Array(Buffer.from(c.pem)));
      const fromDer = readCertificate(c.der);
      expect(fromDer).toEqual(fromPem);
      // A PEM saved on Windows, with text around it (as `openssl x509 -text` writes it).
      const crlf = readCertificate(
        new Uint8Array(Buffer.from(`Certificate:\r\n  text\r\n${c.pem.replaceAll("\n", "\r\n")}`)),
      );
      expect(crlf).toEqual(fromPem);
    }
  });

  it("names the subject as the portal shows it, and knows a self-signed certificate", () => {
    const signer = readCertificate(certs.signer.der);
    expect(signer.subject).toBe("CN=c-works software update, O=c-works");
    expect(signer.issuer).toBe("CN=c-works software update CA, O=c-works");
    expect(signer.selfSigned).toBe(false);
    expect(readCertificate(certs.ca.der).selfSigned).toBe(true);
    // Self-signed with key usage digitalSignature only: openssl calls it self-signed too.
    expect(readCertificate(certs.selfSigned.der).selfSigned).toBe(true);
    expect(readCertificate(certs.intermediate.der).selfSigned).toBe(false);
  });

  it("refuses anything that is not one certificate, saying what it got", () => {
    expect(refusal(new Uint8Array())).toMatch(/empty/);
    expect(refusal(new Uint8Array(Buffer.from("hello world\n")))).toMatch(
      /not an X\.509 certificate/,
    );
    expect(refusal(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toMatch(/not an X\.509/);
    expect(refusal(new Uint8Array(readFileSync(certs.signer.keyPath)))).toMatch(/private key/);
    expect(
      refusal(
        new Uint8Array(Buffer.from(certs.ca.pem + readFileSync(certs.signer.keyPath, "utf8"))),
      ),
    ).toMatch(/private key/);
    expect(refusal(new Uint8Array(Buffer.from(certs.ca.pem + certs.signer.pem)))).toMatch(
      /holds 2 certificates/,
    );
    const csr = new Uint8Array(readFileSync(path.join(dir, "signer.csr")));
    expect(refusal(csr)).toMatch(/not an X\.509 certificate/);
    // A certificate with one byte missing is not a certificate.
    expect(refusal(certs.signer.der.subarray(0, certs.signer.der.length - 1))).toMatch(
      /not an X\.509/,
    );
  });
});
