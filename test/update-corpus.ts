// Signed update packages for tests, made by the tools a vendor uses: `openssl req`, `openssl ca`
// (explicit -startdate/-enddate, each CA with its own index.txt and serial) and `openssl smime
// -sign`; OpenPGP packages with openpgp.js (v4 curve25519Legacy keys GnuPG 2.2 verifies).
// No shell: every openssl call is execFileSync with an argument list.
//
//   const c = await makeCorpus(dir);            // the whole corpus (U1/U2 cases), ~1 s
//   c.packages.validDer.path, c.trusted.vendor  // a package and the CA file that verifies it
//   opensslVerify({ file, inform, trusted })    // openssl's own verdict, the reference
//
// Or piece by piece: makeCa(), makeSigner(), signPackage(), opensslVerify(), pemToDer().
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as asn1js from "asn1js";
import * as openpgp from "openpgp";
import * as pkijs from "pkijs";

const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// openssl

/** Runs openssl with an argument list (no shell); throws with its stderr on a non-zero exit. */
export function openssl(args: string[], input?: Buffer | string): Buffer {
  try {
    return execFileSync("openssl", args, { input, stdio: ["pipe", "pipe", "pipe"] });
  } catch (e) {
    const err = e as { stderr?: Buffer; status?: number };
    throw new Error(
      `openssl ${args.join(" ")} failed (${err.status}): ${err.stderr?.toString() ?? e}`,
    );
  }
}

/** "YYYYMMDDHHMMSSZ", as openssl ca's -startdate/-enddate take it. */
export function opensslTime(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:T]/g, "");
}

/** The first PEM block's body as DER. */
export function pemToDer(pem: string): Uint8Array {
  const m = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END/.exec(pem);
  if (!m) throw new Error("no PEM block");
  return new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ""), "base64"));
}

// One EC P-256 key per label per process: key generation is the slow part, and tests only
// need distinct keys, not fresh ones. (pkijs verifies ECDSA and RSA alike; EC is faster.)
const keyCache = new Map<string, string>();
function keyPem(label: string): string {
  let pem = keyCache.get(label);
  if (!pem) {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    keyCache.set(label, pem);
  }
  return pem;
}

export type TCertFiles = {
  /** A short name, unique in its directory (file names derive from it). */
  name: string;
  /** "/CN=…/O=…" as given to openssl. */
  subj: string;
  /** As the portal prints it: "CN=…, O=…". */
  subject: string;
  certPath: string;
  keyPath: string;
  pem: string;
  der: Uint8Array;
  notBefore: Date;
  notAfter: Date;
};

export type TCa = TCertFiles & { dir: string; configPath: string };

/** Extensions by role; `openssl ca -extensions <name>` picks one. */
export type TExtensions =
  | "ca" // basicConstraints=critical,CA:TRUE, keyUsage keyCertSign
  | "ca-not-ca" // a "CA" whose basicConstraints say CA:FALSE
  | "signer" // CA:FALSE, keyUsage=critical,digitalSignature (no EKU)
  | "signer-email" // + extendedKeyUsage=emailProtection
  | "signer-codesign" // extendedKeyUsage=codeSigning only
  | "signer-keyenc" // keyUsage=keyEncipherment only
  | "tls-localhost" // a TLS server certificate for DNS:localhost (the HTTPS check, S3)
  | "tls-other" // a TLS server certificate for DNS:other.example.org only
  | "none"; // no extensions at all

const EXTENSIONS: Record<TExtensions, string[]> = {
  ca: [
    "basicConstraints = critical, CA:TRUE",
    "keyUsage = critical, keyCertSign, cRLSign",
    "subjectKeyIdentifier = hash",
    "authorityKeyIdentifier = keyid, issuer",
  ],
  "ca-not-ca": [
    "basicConstraints = critical, CA:FALSE",
    "subjectKeyIdentifier = hash",
    "authorityKeyIdentifier = keyid, issuer",
  ],
  signer: [
    "basicConstraints = CA:FALSE",
    "keyUsage = critical, digitalSignature",
    "subjectKeyIdentifier = hash",
    "authorityKeyIdentifier = keyid, issuer",
  ],
  "signer-email": [
    "basicConstraints = CA:FALSE",
    "keyUsage = critical, digitalSignature",
    "extendedKeyUsage = emailProtection",
    "subjectKeyIdentifier = hash",
    "authorityKeyIdentifier = keyid, issuer",
  ],
  "signer-codesign": [
    "basicConstraints = CA:FALSE",
    "keyUsage = critical, digitalSignature",
    "extendedKeyUsage = codeSigning",
    "subjectKeyIdentifier = hash",
    "authorityKeyIdentifier = keyid, issuer",
  ],
  "signer-keyenc": [
    "basicConstraints = CA:FALSE",
    "keyUsage = critical, keyEncipherment",
    "subjectKeyIdentifier = hash",
    "authorityKeyIdentifier = keyid, issuer",
  ],
  "tls-localhost": [
    "basicConstraints = CA:FALSE",
    "keyUsage = critical, digitalSignature",
    "extendedKeyUsage = serverAuth",
    "subjectAltName = DNS:localhost",
    "subjectKeyIdentifier = hash",
    "authorityKeyIdentifier = keyid, issuer",
  ],
  "tls-other": [
    "basicConstraints = CA:FALSE",
    "keyUsage = critical, digitalSignature",
    "extendedKeyUsage = serverAuth",
    "subjectAltName = DNS:other.example.org",
    "subjectKeyIdentifier = hash",
    "authorityKeyIdentifier = keyid, issuer",
  ],
  none: [],
};

function caConfig(dir: string): string {
  const sections = Object.entries(EXTENSIONS)
    .map(([name, lines]) => `[ ext_${name} ]\n${lines.join("\n")}\n`)
    .join("\n");
  return `[ ca ]
default_ca = the_ca

[ the_ca ]
dir = ${dir}
database = ${dir}/index.txt
serial = ${dir}/serial
new_certs_dir = ${dir}/issued
default_md = sha256
policy = policy_anything
# Keep the subject as requested (CN first), not reordered by the policy.
preserve = yes
unique_subject = no
copy_extensions = none
email_in_dn = no

[ policy_anything ]
commonName = supplied
organizationName = optional
organizationalUnitName = optional
countryName = optional

[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused

${sections}`;
}

function subjFromName(subject: string): string {
  // "CN=a, O=b" -> "/CN=a/O=b" (test subjects carry no commas or slashes).
  return subject
    .split(", ")
    .map((p) => `/${p}`)
    .join("");
}

let serialSeed = Date.now() % 1_000_000;

function newCaDir(dir: string): { caDir: string; configPath: string } {
  mkdirSync(path.join(dir, "issued"), { recursive: true });
  const configPath = path.join(dir, "ca.cnf");
  if (!existsSync(configPath)) {
    writeFileSync(path.join(dir, "index.txt"), "");
    serialSeed += 4096;
    writeFileSync(path.join(dir, "serial"), `${serialSeed.toString(16).padStart(6, "0")}\n`);
    writeFileSync(configPath, caConfig(dir));
  }
  return { caDir: dir, configPath };
}

function issue(opts: {
  dir: string;
  name: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  extensions: TExtensions;
  /** The issuing CA; absent: self-signed (openssl ca -selfsign, in a CA dir of its own). */
  issuer?: TCa;
  keyLabel?: string;
}): TCertFiles & { configPath: string; caDir: string } {
  mkdirSync(opts.dir, { recursive: true });
  const keyPath = path.join(opts.dir, `${opts.name}.key`);
  const csrPath = path.join(opts.dir, `${opts.name}.csr`);
  const certPath = path.join(opts.dir, `${opts.name}.pem`);
  writeFileSync(keyPath, keyPem(opts.keyLabel ?? `${opts.name}:${opts.subject}`));
  const subj = subjFromName(opts.subject);
  const own = newCaDir(path.join(opts.dir, `${opts.name}-ca`));
  openssl([
    "req",
    "-new",
    "-config",
    own.configPath,
    "-key",
    keyPath,
    "-subj",
    subj,
    "-out",
    csrPath,
  ]);
  const ca = opts.issuer ? { configPath: opts.issuer.configPath } : own;
  const signing = opts.issuer
    ? ["-cert", opts.issuer.certPath, "-keyfile", opts.issuer.keyPath]
    : ["-selfsign", "-keyfile", keyPath];
  openssl([
    "ca",
    "-batch",
    "-notext",
    "-config",
    ca.configPath,
    ...signing,
    "-in",
    csrPath,
    "-out",
    certPath,
    "-startdate",
    opensslTime(opts.notBefore),
    "-enddate",
    opensslTime(opts.notAfter),
    "-extensions",
    `ext_${opts.extensions}`,
  ]);
  const pem = readFileSync(certPath, "utf8");
  return {
    name: opts.name,
    subj,
    subject: opts.subject,
    certPath,
    keyPath,
    pem,
    der: pemToDer(pem),
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    configPath: own.configPath,
    caDir: own.caDir,
  };
}

/** A CA: self-signed (a root), or issued by `issuer` (an intermediate). */
export function makeCa(opts: {
  dir: string;
  name: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  issuer?: TCa;
  extensions?: TExtensions;
  /** Same label, same key (a renewed certificate of the same key). */
  keyLabel?: string;
}): TCa {
  const c = issue({ ...opts, extensions: opts.extensions ?? "ca" });
  return { ...c, dir: c.caDir };
}

/** A signing certificate issued by `ca`, or self-signed when `ca` is absent. */
export function makeSigner(opts: {
  dir: string;
  name: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  ca?: TCa;
  extensions?: TExtensions;
  keyLabel?: string;
}): TCertFiles {
  return issue({ ...opts, issuer: opts.ca, extensions: opts.extensions ?? "signer" });
}

/**
 * `openssl smime -sign -binary [-nodetach] -outform DER|PEM`: the package (or, detached, the
 * signature alone) at `out`. `certfile`: more certificates to carry (an intermediate).
 */
export function signPackage(opts: {
  dir: string;
  name: string;
  content: Uint8Array | string;
  signer: TCertFiles;
  outform: "DER" | "PEM";
  certfile?: TCertFiles[];
  detached?: boolean;
  /** -noattr: no signed attributes (the signature is over the content itself). */
  noattr?: boolean;
}): { path: string; contentPath: string; bytes: Buffer } {
  mkdirSync(opts.dir, { recursive: true });
  const contentPath = path.join(opts.dir, `${opts.name}.content`);
  writeFileSync(contentPath, opts.content);
  const out = path.join(
    opts.dir,
    `${opts.name}${opts.detached ? ".sig" : ".sh.signed"}${opts.outform === "PEM" ? ".pem" : ""}`,
  );
  const extra: string[] = [];
  if (opts.certfile?.length) {
    const bundle = path.join(opts.dir, `${opts.name}.certfile.pem`);
    writeFileSync(bundle, opts.certfile.map((c) => c.pem).join(""));
    extra.push("-certfile", bundle);
  }
  openssl([
    "smime",
    "-sign",
    "-binary",
    ...(opts.detached ? [] : ["-nodetach"]),
    ...(opts.noattr ? ["-noattr"] : []),
    "-md",
    "sha256",
    "-in",
    contentPath,
    "-signer",
    opts.signer.certPath,
    "-inkey",
    opts.signer.keyPath,
    ...extra,
    "-outform",
    opts.outform,
    "-out",
    out,
  ]);
  return { path: out, contentPath, bytes: readFileSync(out) };
}

/** A -CAfile: the certificates' PEM concatenated (an empty file when none). */
export function trustFile(dir: string, name: string, certs: TCertFiles[]): string {
  const p = path.join(dir, `${name}.trusted.pem`);
  writeFileSync(p, certs.map((c) => c.pem).join(""));
  return p;
}

export type TOpensslVerdict = { status: number; ok: boolean; stderr: string; out: Buffer | null };

/**
 * The reference: `openssl smime -verify -binary -inform DER|PEM -in FILE -CAfile TRUSTED
 * -out CONTENT` (with `-content` for a detached signature). `ok` ⇔ exit status 0.
 */
export function opensslVerify(opts: {
  file: string;
  inform: "DER" | "PEM";
  trusted: string;
  /** The signed file, for a detached signature. */
  content?: string;
}): TOpensslVerdict {
  const out = `${opts.file}.${process.pid}.${Math.random().toString(36).slice(2)}.out`;
  const args = [
    "smime",
    "-verify",
    "-binary",
    "-inform",
    opts.inform,
    "-in",
    opts.file,
    "-CAfile",
    opts.trusted,
    "-out",
    out,
    ...(opts.content ? ["-content", opts.content] : []),
  ];
  try {
    execFileSync("openssl", args, { stdio: ["pipe", "pipe", "pipe"] });
    return { status: 0, ok: true, stderr: "", out: readFileSync(out) };
  } catch (e) {
    const err = e as { status?: number; stderr?: Buffer };
    return { status: err.status ?? -1, ok: false, stderr: err.stderr?.toString() ?? "", out: null };
  }
}

// ---------------------------------------------------------------------------------------------
// Tampering (pkijs, never hand-written ASN.1)

/** The package with one byte of its attached content flipped (the DER still parses). */
export function flipContentByte(der: Uint8Array, content: Uint8Array, at?: number): Uint8Array {
  const offset = Buffer.from(der).indexOf(Buffer.from(content));
  if (offset < 0) throw new Error("content not found in the package");
  const out = new Uint8Array(der);
  const i = offset + (at ?? Math.floor(content.length / 2));
  out[i] ^= 0x01;
  return out;
}

function readSignedData(der: Uint8Array): pkijs.SignedData {
  const asn = asn1js.fromBER(new Uint8Array(der));
  const info = new pkijs.ContentInfo({ schema: asn.result });
  return new pkijs.SignedData({ schema: info.content });
}

function writeSignedData(sd: pkijs.SignedData): Uint8Array {
  const info = new pkijs.ContentInfo({
    contentType: pkijs.ContentInfo.SIGNED_DATA,
    content: sd.toSchema(true),
  });
  return new Uint8Array(info.toSchema().toBER(false));
}

/** The SignedData with its signerInfos removed: content and certificates, no signature. */
export function stripSignatures(der: Uint8Array): Uint8Array {
  const sd = readSignedData(der);
  sd.signerInfos = [];
  return writeSignedData(sd);
}

/** The SignedData with its certificates removed (the signer cannot be found). */
export function stripCertificates(der: Uint8Array): Uint8Array {
  const sd = readSignedData(der);
  delete sd.certificates;
  return writeSignedData(sd);
}

// ---------------------------------------------------------------------------------------------
// OpenPGP

const pgpCache = new Map<
  string,
  Promise<{ privateKey: string; publicKey: string; fingerprint: string }>
>();

/** A vendor's v4 EdDSA (curve25519Legacy) key, one per label per process. */
export function vendorPgpKey(label = "vendor") {
  let p = pgpCache.get(label);
  if (!p) {
    p = (async () => {
      const { privateKey, publicKey } = await openpgp.generateKey({
        type: "ecc",
        curve: "curve25519Legacy",
        userIDs: [
          { name: `c-works software update (${label})`, email: `${label}@c-works.example` },
        ],
        format: "armored",
      });
      const key = await openpgp.readKey({ armoredKey: publicKey });
      return { privateKey, publicKey, fingerprint: key.getFingerprint().toUpperCase() };
    })();
    pgpCache.set(label, p);
  }
  return p;
}

/** A binary (or armored) OpenPGP signed message holding `content`. */
export async function pgpSign(
  content: Uint8Array,
  privateKeyArmored: string,
  opts: { armor?: boolean; detached?: boolean } = {},
): Promise<Uint8Array> {
  const signingKeys = await openpgp.readPrivateKey({ armoredKey: privateKeyArmored });
  const message = await openpgp.createMessage({ binary: content });
  if (opts.armor) {
    const s = await openpgp.sign({
      message,
      signingKeys,
      detached: opts.detached,
      format: "armored",
    });
    return new Uint8Array(Buffer.from(s as string, "utf8"));
  }
  return (await openpgp.sign({
    message,
    signingKeys,
    detached: opts.detached,
    format: "binary",
  })) as Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// The corpus

export type TCorpusCase = {
  path: string;
  inform: "DER" | "PEM";
  /** The -CAfile to verify it with. */
  trusted: string;
  /** For a detached signature: the signed file. */
  content?: string;
  /** What the portal (and openssl) must say. */
  expect: "VERIFIED" | "QUARANTINED";
  /** Words the refusal's reason must contain (lower-case compare). */
  reasonWords: string[];
  /** One line: what this case is. */
  about: string;
};

export type TPgpCase = {
  data: Uint8Array;
  signature?: Uint8Array;
  pgpKeys: string[];
  expect: "VERIFIED" | "QUARANTINED";
  reasonWords: string[];
  about: string;
};

export type TCorpus = {
  dir: string;
  now: Date;
  content: Uint8Array;
  cas: {
    /** The vendor's current root CA: what an up-to-date installation trusts. */
    vendor: TCa;
    /** The vendor's previous root: same subject, another key, still within its dates. */
    oldVendor: TCa;
    /** A root whose validity has ended; its signer is still within its own dates. */
    expired: TCa;
    /** Another vendor's root. */
    other: TCa;
    /** An intermediate issued by `vendor`. */
    intermediate: TCa;
  };
  signers: {
    valid: TCertFiles;
    expired: TCertFiles;
    notYetValid: TCertFiles;
    selfSigned: TCertFiles;
    otherCa: TCertFiles;
    viaIntermediate: TCertFiles;
    underExpiredCa: TCertFiles;
    codeSigning: TCertFiles;
    keyEncipherment: TCertFiles;
    emailProtection: TCertFiles;
  };
  /** -CAfile paths. */
  trusted: { vendor: string; oldVendor: string; expired: string; vendorAndSelfSigned: string };
  packages: Record<TCorpusPackage, TCorpusCase>;
  pgp: {
    vendorKey: { publicKey: string; privateKey: string; fingerprint: string };
    wrongKey: { publicKey: string; privateKey: string; fingerprint: string };
    cases: Record<TPgpPackage, TPgpCase>;
  };
};

export type TCorpusPackage =
  | "validDer"
  | "validPem"
  | "validNoAttr"
  | "signerExpired"
  | "signerNotYetValid"
  | "selfSigned"
  | "selfSignedTrusted"
  | "otherCa"
  | "oldTrust"
  | "trustedExpired"
  | "contentChanged"
  | "signatureStripped"
  | "certificatesStripped"
  | "notCms"
  | "intermediate"
  | "intermediateMissing"
  | "detached"
  | "detachedChanged"
  | "codeSigningSigner"
  | "keyEnciphermentSigner"
  | "emailProtectionSigner";

export type TPgpPackage =
  | "signedBinary"
  | "signedArmored"
  | "wrongKey"
  | "contentChanged"
  | "detached"
  | "detachedArmored"
  | "detachedChanged"
  | "noVendorKey";

/** The content every corpus package signs: an OS4X-like update script. */
export const CORPUS_CONTENT = new Uint8Array(
  Buffer.from(
    "#!/bin/sh\n# os4x3_full_pe_Linux-x86.sh: OS4X update (test corpus)\nset -e\necho 'updating OS4X'\nexit 0\n",
  ),
);

/** Builds the whole corpus in `dir` (relative to `now`, default: the current time). */
export async function makeCorpus(dir: string, opts: { now?: Date } = {}): Promise<TCorpus> {
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime() / 1000) * 1000);
  const t = (days: number) => new Date(now.getTime() + days * DAY);
  mkdirSync(dir, { recursive: true });
  const content = CORPUS_CONTENT;

  const vendor = makeCa({
    dir,
    name: "vendor-ca",
    subject: "CN=c-works software update CA, O=c-works",
    notBefore: t(-400),
    notAfter: t(3000),
  });
  const oldVendor = makeCa({
    dir,
    name: "old-vendor-ca",
    subject: "CN=c-works software update CA, O=c-works",
    notBefore: t(-3000),
    notAfter: t(60),
  });
  const expiredCa = makeCa({
    dir,
    name: "expired-ca",
    subject: "CN=c-works update CA 2015, O=c-works",
    notBefore: t(-4000),
    notAfter: t(-200),
  });
  const other = makeCa({
    dir,
    name: "other-ca",
    subject: "CN=Other Vendor Root, O=Other Vendor",
    notBefore: t(-400),
    notAfter: t(3000),
  });
  const intermediate = makeCa({
    dir,
    name: "intermediate-ca",
    subject: "CN=c-works signing CA 1, O=c-works",
    notBefore: t(-300),
    notAfter: t(2500),
    issuer: vendor,
  });

  const S = (name: string) => `CN=c-works software update ${name}, O=c-works`;
  const signer = (name: string, ca: TCa | undefined, nb: number, na: number, ext?: TExtensions) =>
    makeSigner({
      dir,
      name: `signer-${name}`,
      subject: S(name),
      ca,
      notBefore: t(nb),
      notAfter: t(na),
      extensions: ext,
    });
  const signers = {
    valid: signer("2026", vendor, -100, 2000),
    expired: signer("2023", vendor, -1200, -30),
    notYetValid: signer("2030", vendor, 100, 2500),
    selfSigned: signer("self-signed", undefined, -100, 2000),
    otherCa: makeSigner({
      dir,
      name: "signer-other",
      subject: "CN=Other Vendor update, O=Other Vendor",
      ca: other,
      notBefore: t(-100),
      notAfter: t(2000),
    }),
    viaIntermediate: signer("via intermediate", intermediate, -100, 2000),
    underExpiredCa: signer("2016", expiredCa, -3000, 2000),
    codeSigning: signer("code signing", vendor, -100, 2000, "signer-codesign"),
    keyEncipherment: signer("key encipherment", vendor, -100, 2000, "signer-keyenc"),
    emailProtection: signer("email protection", vendor, -100, 2000, "signer-email"),
  };

  const trusted = {
    vendor: trustFile(dir, "vendor", [vendor]),
    oldVendor: trustFile(dir, "old-vendor", [oldVendor]),
    expired: trustFile(dir, "expired", [expiredCa]),
    vendorAndSelfSigned: trustFile(dir, "vendor-and-self-signed", [vendor, signers.selfSigned]),
  };

  const sign = (
    name: string,
    s: TCertFiles,
    outform: "DER" | "PEM" = "DER",
    extra: Partial<Parameters<typeof signPackage>[0]> = {},
  ) => signPackage({ dir, name, content, signer: s, outform, ...extra });
  const file = (name: string, bytes: Uint8Array) => {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  const validDer = sign("valid", signers.valid);
  const selfSigned = sign("self-signed", signers.selfSigned);
  const detached = sign("detached", signers.valid, "DER", { detached: true });
  const changedContentPath = file("detached-changed.content", flipContentByte(content, content));

  const untrusted = ["signed by", "does not vouch", "trusted certificates"];
  const packages: Record<TCorpusPackage, TCorpusCase> = {
    validDer: {
      path: validDer.path,
      inform: "DER",
      trusted: trusted.vendor,
      expect: "VERIFIED",
      reasonWords: [],
      about: "signed by the vendor's current signer, DER",
    },
    validPem: {
      path: sign("valid-pem", signers.valid, "PEM").path,
      inform: "PEM",
      trusted: trusted.vendor,
      expect: "VERIFIED",
      reasonWords: [],
      about: "the same, PEM (-----BEGIN PKCS7-----)",
    },
    validNoAttr: {
      path: sign("valid-noattr", signers.valid, "DER", { noattr: true }).path,
      inform: "DER",
      trusted: trusted.vendor,
      expect: "VERIFIED",
      reasonWords: [],
      about: "signed without signed attributes (-noattr)",
    },
    signerExpired: {
      path: sign("signer-expired", signers.expired).path,
      inform: "DER",
      trusted: trusted.vendor,
      expect: "QUARANTINED",
      reasonWords: ["expired", "signer", S("2023")],
      about: "the signer certificate expired 30 days ago",
    },
    signerNotYetValid: {
      path: sign("signer-not-yet-valid", signers.notYetValid).path,
      inform: "DER",
      trusted: trusted.vendor,
      expect: "QUARANTINED",
      reasonWords: ["not valid before", "signer", S("2030")],
      about: "the signer certificate becomes valid in 100 days",
    },
    selfSigned: {
      path: selfSigned.path,
      inform: "DER",
      trusted: trusted.vendor,
      expect: "QUARANTINED",
      reasonWords: [...untrusted, S("self-signed")],
      about: "a self-signed signer (openssl: self signed certificate)",
    },
    selfSignedTrusted: {
      path: selfSigned.path,
      inform: "DER",
      trusted: trusted.vendorAndSelfSigned,
      expect: "VERIFIED",
      reasonWords: [],
      about: "a self-signed signer that is itself a trusted certificate",
    },
    otherCa: {
      path: sign("other-ca", signers.otherCa).path,
      inform: "DER",
      trusted: trusted.vendor,
      expect: "QUARANTINED",
      reasonWords: [...untrusted, "Other Vendor"],
      about: "a signer issued by another vendor's CA",
    },
    oldTrust: {
      path: validDer.path,
      inform: "DER",
      trusted: trusted.oldVendor,
      expect: "QUARANTINED",
      reasonWords: [...untrusted, "probably not the current one"],
      about: "a valid package, but the installation trusts the vendor's previous CA (same name)",
    },
    trustedExpired: {
      path: sign("trusted-expired", signers.underExpiredCa).path,
      inform: "DER",
      trusted: trusted.expired,
      expect: "QUARANTINED",
      reasonWords: ["expired", "trusted certificate", "CN=c-works update CA 2015"],
      about: "the trusted certificate (the CA) itself has expired",
    },
    contentChanged: {
      path: file("content-changed.sh.signed", flipContentByte(validDer.bytes, content)),
      inform: "DER",
      trusted: trusted.vendor,
      expect: "QUARANTINED",
      reasonWords: ["does not match its signature", "changed"],
      about: "one byte of the attached content flipped",
    },
    signatureStripped: {
      path: file("signature-stripped.sh.signed", stripSignatures(validDer.bytes)),
      inform: "DER",
      trusted: trusted.vendor,
      expect: "QUARANTINED",
      reasonWords: ["no signature"],
      about: "the SignedData with its signerInfos removed (content and certificates kept)",
    },
    certificatesStripped: {
      path: file("certificates-stripped.sh.signed", stripCertificates(validDer.bytes)),
      inform: "DER",
      trusted: trusted.vendor,
      expect: "QUARANTINED",
      reasonWords: ["signer certificate"],
      about: "the SignedData without its certificates: the signer cannot be found",
    },
    notCms: {
      path: file("not-cms.sh", content),
      inform: "DER",
      trusted: trusted.vendor,
      expect: "QUARANTINED",
      reasonWords: ["not a signed package"],
      about: "the bare script, no CMS at all",
    },
    intermediate: {
      path: sign("intermediate", signers.viaIntermediate, "DER", { certfile: [intermediate] }).path,
      inform: "DER",
      trusted: trusted.vendor,
      expect: "VERIFIED",
      reasonWords: [],
      about: "signer under an intermediate that the package carries (-certfile)",
    },
    intermediateMissing: {
      path: sign("intermediate-missing", signers.viaIntermediate).path,
      inform: "DER",
      trusted: trusted.vendor,
      expect: "QUARANTINED",
      reasonWords: [...untrusted, "CN=c-works signing CA 1"],
      about: "signer under an intermediate the package does not carry",
    },
    detached: {
      path: detached.path,
      inform: "DER",
      trusted: trusted.vendor,
      content: detached.contentPath,
      expect: "VERIFIED",
      reasonWords: [],
      about: "a detached CMS signature over the file",
    },
    detachedChanged: {
      path: detached.path,
      inform: "DER",
      trusted: trusted.vendor,
      content: changedContentPath,
      expect: "QUARANTINED",
      reasonWords: ["does not match its signature"],
      about: "a detached CMS signature over a file that was changed",
    },
    codeSigningSigner: {
      path: sign("codesign", signers.codeSigning).path,
      inform: "DER",
      trusted: trusted.vendor,
      expect: "QUARANTINED",
      reasonWords: ["purpose", S("code signing")],
      about: "a signer whose extended key usage is codeSigning only (openssl: smime_sign purpose)",
    },
    keyEnciphermentSigner: {
      path: sign("keyenc", signers.keyEncipherment).path,
      inform: "DER",
      trusted: trusted.vendor,
      expect: "QUARANTINED",
      reasonWords: ["purpose", S("key encipherment")],
      about: "a signer whose key usage lacks digitalSignature",
    },
    emailProtectionSigner: {
      path: sign("email", signers.emailProtection).path,
      inform: "DER",
      trusted: trusted.vendor,
      expect: "VERIFIED",
      reasonWords: [],
      about: "a signer with extended key usage emailProtection",
    },
  };

  // OpenPGP
  const vendorKey = await vendorPgpKey("vendor");
  const wrongKey = await vendorPgpKey("wrong");
  const signedBinary = await pgpSign(content, vendorKey.privateKey);
  const detachedSig = await pgpSign(content, vendorKey.privateKey, { detached: true });
  const changed = flipContentByte(content, content);
  const pgpCases: Record<TPgpPackage, TPgpCase> = {
    signedBinary: {
      data: signedBinary,
      pgpKeys: [vendorKey.publicKey],
      expect: "VERIFIED",
      reasonWords: [],
      about: "a binary signed message",
    },
    signedArmored: {
      data: await pgpSign(content, vendorKey.privateKey, { armor: true }),
      pgpKeys: [wrongKey.publicKey, vendorKey.publicKey],
      expect: "VERIFIED",
      reasonWords: [],
      about: "an armored signed message, two vendor keys configured",
    },
    wrongKey: {
      data: await pgpSign(content, wrongKey.privateKey),
      pgpKeys: [vendorKey.publicKey],
      expect: "QUARANTINED",
      reasonWords: [wrongKey.fingerprint, "not one of this installation's vendor keys"],
      about: "signed by a key the installation does not trust",
    },
    contentChanged: {
      data: flipContentByte(signedBinary, content),
      pgpKeys: [vendorKey.publicKey],
      expect: "QUARANTINED",
      reasonWords: ["does not match its signature"],
      about: "a byte of the literal data flipped",
    },
    detached: {
      data: content,
      signature: detachedSig,
      pgpKeys: [vendorKey.publicKey],
      expect: "VERIFIED",
      reasonWords: [],
      about: "a file with a binary detached signature",
    },
    detachedArmored: {
      data: content,
      signature: await pgpSign(content, vendorKey.privateKey, { detached: true, armor: true }),
      pgpKeys: [vendorKey.publicKey],
      expect: "VERIFIED",
      reasonWords: [],
      about: "a file with an armored detached signature",
    },
    detachedChanged: {
      data: changed,
      signature: detachedSig,
      pgpKeys: [vendorKey.publicKey],
      expect: "QUARANTINED",
      reasonWords: ["does not match its signature"],
      about: "a changed file with its original detached signature",
    },
    noVendorKey: {
      data: signedBinary,
      pgpKeys: [],
      expect: "QUARANTINED",
      reasonWords: ["no vendor", "OpenPGP key"],
      about: "a signed message, but the installation has no vendor key",
    },
  };

  return {
    dir,
    now,
    content,
    cas: { vendor, oldVendor, expired: expiredCa, other, intermediate },
    signers,
    trusted,
    packages,
    pgp: { vendorKey, wrongKey, cases: pgpCases },
  };
}
