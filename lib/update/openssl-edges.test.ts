import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  makeCa,
  makeSigner,
  openssl,
  opensslVerify,
  signPackage,
  trustFile,
  type TCa,
  type TCertFiles,
} from "../../test/update-corpus";
import { verifyPackage } from "./verify-package";

// The corners of openssl's chain and signature rules, each found by asking openssl 3.0 and
// matched by verifyPackage(): what a trust anchor must be, CA-ness, several signers, digests and
// key types, and the CMS forms `openssl smime` cannot read.

const DAY = 86_400_000;
let dir: string;
let root: TCa;
let signer: TCertFiles;
let pkg: string;
const t = (days: number) => new Date(Math.floor((Date.now() + days * DAY) / 1000) * 1000);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "patchgate-edges-"));
  root = makeCa({
    dir,
    name: "root",
    subject: "CN=Root, O=V",
    notBefore: t(-10),
    notAfter: t(1000),
  });
  signer = makeSigner({
    dir,
    name: "s",
    subject: "CN=S, O=V",
    ca: root,
    notBefore: t(-5),
    notAfter: t(500),
  });
  pkg = signPackage({ dir, name: "p", content: "hello\r\nworld\n\0", signer, outform: "DER" }).path;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** openssl's verdict and the portal's on one file; they must agree. */
async function agree(file: string, trusted: TCertFiles[]) {
  const trust = trustFile(dir, `t${n++}`, trusted);
  const ref = opensslVerify({ file, inform: "DER", trusted: trust });
  const verdict = await verifyPackage({
    data: new Uint8Array(readFileSync(file)),
    certificates: trusted.map((c) => c.der),
    pgpKeys: [],
    installationName: "X",
    at: new Date(),
  });
  expect(
    verdict.state === "VERIFIED",
    `openssl ${ref.status} ${ref.stderr}; ${verdict.reason}`,
  ).toBe(ref.ok);
  if (ref.ok) expect(Buffer.from(verdict.content ?? []).equals(ref.out as Buffer)).toBe(true);
  return { ok: ref.ok, stderr: ref.stderr, reason: verdict.reason ?? "" };
}

describe("verifyPackage matches openssl on the corners", { timeout: 30_000 }, () => {
  it("needs a self-signed trusted anchor: a trusted signer or intermediate alone is not one", async () => {
    expect((await agree(pkg, [signer])).stderr).toMatch(/unable to get local issuer certificate/);
    expect((await agree(pkg, [signer, root])).ok).toBe(true);
    const inter = makeCa({
      dir,
      name: "inter",
      subject: "CN=I, O=V",
      issuer: root,
      notBefore: t(-10),
      notAfter: t(800),
    });
    const sI = makeSigner({
      dir,
      name: "si",
      subject: "CN=SI, O=V",
      ca: inter,
      notBefore: t(-5),
      notAfter: t(500),
    });
    const withInter = signPackage({
      dir,
      name: "pi",
      content: "x",
      signer: sI,
      outform: "DER",
      certfile: [inter],
    }).path;
    expect((await agree(withInter, [inter])).stderr).toMatch(/unable to get issuer certificate/);
    expect((await agree(withInter, [inter, root])).ok).toBe(true);
    // The package may carry the root itself: trusted only if the installation trusts it.
    const withRoot = signPackage({
      dir,
      name: "pir",
      content: "x",
      signer: sI,
      outform: "DER",
      certfile: [inter, root],
    }).path;
    expect((await agree(withRoot, [root])).ok).toBe(true);
    const other = makeCa({ dir, name: "o", subject: "CN=O", notBefore: t(-1), notAfter: t(10) });
    const r = await agree(withRoot, [other]);
    expect(r.stderr).toMatch(/self-signed certificate in certificate chain/);
    expect(r.reason).toMatch(/which your trusted certificate does not vouch for/);
    // Old and new vendor roots side by side: the one that vouches is used.
    expect((await agree(pkg, [other, root])).ok).toBe(true);
  });

  it("refuses a non-CA above the signer, accepts a v1 root and a signer without extensions", async () => {
    const interNotCa = makeCa({
      dir,
      name: "ix",
      subject: "CN=IX, O=V",
      issuer: root,
      notBefore: t(-10),
      notAfter: t(800),
      extensions: "ca-not-ca",
    });
    const sX = makeSigner({
      dir,
      name: "sx",
      subject: "CN=SX, O=V",
      ca: interNotCa,
      notBefore: t(-5),
      notAfter: t(500),
    });
    const r = await agree(
      signPackage({
        dir,
        name: "px",
        content: "x",
        signer: sX,
        outform: "DER",
        certfile: [interNotCa],
      }).path,
      [root],
    );
    expect(r.stderr).toMatch(/invalid CA certificate/);
    expect(r.reason).toMatch(/CN=IX, O=V sits in the chain as a CA but is not a CA certificate/);
    const rootNotCa = makeCa({
      dir,
      name: "rx",
      subject: "CN=RootX",
      notBefore: t(-10),
      notAfter: t(1000),
      extensions: "ca-not-ca",
    });
    const sRX = makeSigner({
      dir,
      name: "srx",
      subject: "CN=SRX",
      ca: rootNotCa,
      notBefore: t(-5),
      notAfter: t(500),
    });
    expect(
      (
        await agree(
          signPackage({ dir, name: "prx", content: "x", signer: sRX, outform: "DER" }).path,
          [rootNotCa],
        )
      ).ok,
    ).toBe(false);
    // openssl ca writes a v1 certificate when there are no extensions: a v1 root is a CA.
    const v1 = makeCa({
      dir,
      name: "v1",
      subject: "CN=RootV1",
      notBefore: t(-10),
      notAfter: t(1000),
      extensions: "none",
    });
    const sV1 = makeSigner({
      dir,
      name: "sv1",
      subject: "CN=SV1",
      ca: v1,
      notBefore: t(-5),
      notAfter: t(500),
    });
    expect(
      (
        await agree(
          signPackage({ dir, name: "pv1", content: "x", signer: sV1, outform: "DER" }).path,
          [v1],
        )
      ).ok,
    ).toBe(true);
    const bare = makeSigner({
      dir,
      name: "bare",
      subject: "CN=Bare",
      ca: root,
      notBefore: t(-5),
      notAfter: t(500),
      extensions: "none",
    });
    expect(
      (
        await agree(
          signPackage({ dir, name: "pbare", content: "x", signer: bare, outform: "DER" }).path,
          [root],
        )
      ).ok,
    ).toBe(true);
  });

  it("names an expired intermediate", async () => {
    const old = makeCa({
      dir,
      name: "ie",
      subject: "CN=IE, O=V",
      issuer: root,
      notBefore: t(-10),
      notAfter: t(-1),
    });
    const sE = makeSigner({
      dir,
      name: "se",
      subject: "CN=SE, O=V",
      ca: old,
      notBefore: t(-5),
      notAfter: t(500),
    });
    const r = await agree(
      signPackage({ dir, name: "pe", content: "x", signer: sE, outform: "DER", certfile: [old] })
        .path,
      [root],
    );
    expect(r.stderr).toMatch(/certificate has expired/);
    expect(r.reason).toMatch(
      /^The intermediate certificate CN=IE, O=V in the package's chain expired on /,
    );
  });

  it("checks every signer, any digest openssl knows, RSA as well as EC, and refuses what openssl smime cannot read", async () => {
    const content = path.join(dir, "p.content");
    const sign = (name: string, args: string[], tool = "smime") => {
      const out = path.join(dir, `${name}.der`);
      openssl([
        tool,
        "-sign",
        "-binary",
        "-nodetach",
        "-in",
        content,
        "-outform",
        "DER",
        "-out",
        out,
        ...args,
      ]);
      return out;
    };
    const me = ["-signer", signer.certPath, "-inkey", signer.keyPath];
    expect((await agree(sign("sha1", [...me, "-md", "sha1"]), [root])).ok).toBe(true);
    expect((await agree(sign("sha512", [...me, "-md", "sha512"]), [root])).ok).toBe(true);
    expect((await agree(sign("sha384", [...me, "-md", "sha384"]), [root])).ok).toBe(true);

    const stranger = makeSigner({
      dir,
      name: "stranger",
      subject: "CN=Stranger",
      notBefore: t(-5),
      notAfter: t(500),
    });
    const two = sign("two", [...me, "-signer", stranger.certPath, "-inkey", stranger.keyPath]);
    expect((await agree(two, [root])).reason).toMatch(/signed by CN=Stranger/);
    expect((await agree(two, [root, stranger])).ok).toBe(true);

    const rsaKey = path.join(dir, "rsa.key");
    openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", rsaKey]);
    const csr = path.join(dir, "rsa.csr");
    openssl([
      "req",
      "-new",
      "-config",
      root.configPath,
      "-key",
      rsaKey,
      "-subj",
      "/CN=RSA signer",
      "-out",
      csr,
    ]);
    const rsaCert = path.join(dir, "rsa.pem");
    openssl([
      "ca",
      "-batch",
      "-notext",
      "-config",
      root.configPath,
      "-cert",
      root.certPath,
      "-keyfile",
      root.keyPath,
      "-in",
      csr,
      "-out",
      rsaCert,
      "-startdate",
      "20250101000000Z",
      "-enddate",
      "20400101000000Z",
      "-extensions",
      "ext_signer",
    ]);
    const rsa = ["-signer", rsaCert, "-inkey", rsaKey];
    expect((await agree(sign("rsa", rsa), [root])).ok).toBe(true);
    // RSA-PSS (openssl cms can make it; openssl smime cannot verify it) and a signer named by
    // key identifier (openssl smime cannot read it): refused, as openssl refuses them.
    expect(
      (await agree(sign("pss", [...rsa, "-keyopt", "rsa_padding_mode:pss"], "cms"), [root])).ok,
    ).toBe(false);
    const keyid = await agree(sign("keyid", [...me, "-keyid"], "cms"), [root]);
    expect(keyid.reason).toMatch(/names its signer by key identifier/);
    // openssl cms's ordinary output is what openssl smime reads.
    expect((await agree(sign("cms", me, "cms"), [root])).ok).toBe(true);
    // Streamed (indefinite-length BER, the content in chunks).
    expect((await agree(sign("stream", [...me, "-stream"]), [root])).ok).toBe(true);
  });
});
