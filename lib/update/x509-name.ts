// X.509 names and PEM, read with pkijs/asn1js (no hand-written ASN.1). Pure.
//
// Names print as @peculiar/x509's Name.toString() does ("CN=c-works software update, O=c-works":
// the RDNs in certificate order, RFC 4514 escaping); that library itself cannot be loaded here
// without the reflect-metadata polyfill, so the few lines are repeated.
import { createHash } from "node:crypto";
import * as pkijs from "pkijs";

const SHORT: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.6": "C",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "E",
  "2.5.4.42": "G",
  "2.5.4.43": "I",
  "2.5.4.4": "SN",
  "2.5.4.12": "T",
};

function escapeValue(data: string): string {
  return data
    .replace(/([,+"\\<>;])/g, "\\$1")
    .replace(/^([ #])/, "\\$1")
    .replace(/([ ]$)/, "\\$1")
    .replace(/([\r\n\t])/, (c) => `\\${Buffer.from(c, "utf8").toString("hex").toUpperCase()}`);
}

function hex(bytes: ArrayBuffer | Uint8Array): string {
  return Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString("hex");
}

/** "CN=…, O=…" for a pkijs name. */
export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => {
      const type = SHORT[tv.type] ?? tv.type;
      const block = (tv.value as { valueBlock?: { value?: unknown } }).valueBlock;
      const value =
        block && typeof block.value === "string"
          ? escapeValue(block.value)
          : `#${hex(tv.value.toBER(false))}`;
      return `${type}=${value}`;
    })
    .join(", ");
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export type TPemBlock = { label: string; der: Uint8Array };

/** Every PEM block in the text, in order (label as written, e.g. "CERTIFICATE", "PKCS7"). */
export function pemBlocks(text: string): TPemBlock[] {
  const out: TPemBlock[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    // Headers such as "Proc-Type:" (encrypted keys) are not base64: drop lines with a colon.
    const body = m[2]
      .split(/\r?\n/)
      .filter((l) => !l.includes(":"))
      .join("")
      .replace(/\s+/g, "");
    out.push({ label: m[1], der: new Uint8Array(Buffer.from(body, "base64")) });
  }
  return out;
}

/** Whether the bytes start like text that holds a PEM block. */
export function looksLikePem(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1");
  return head.includes("-----BEGIN ");
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
