import {
  DOSSIER_FORMAT,
  CHECKSUMS,
  checksumsText,
  DEPLOYMENT,
  EVENTS,
  fastPathStatementFile,
  keyFile,
  LINKS,
  MANIFEST,
  PORTAL_KEY,
  notificationFile,
  revisionFile,
  signatureFile,
  statementFile,
  VERIFY_MD,
} from "./layout";
import { sha256Hex } from "../crypto/hash";
import type { TDeploymentFile, TEventLine, THead, TManifest } from "./manifest";
import { verifyMd } from "./verify-md";
import { writeLogFiles, type TBundleLogFiles } from "./seal-bundle";

// Turns the record of one patch, already read, into the dossier's files. Pure:
// the server reads the database, calls this, and signs the manifest
// (sealDossier); unit tests call it directly.

export type TDossierStatement = Omit<
  TManifest["statements"][number],
  "file" | "signature" | "key" | "receivedAt"
> & {
  receivedAt: Date;
  /** The exact stored statement text and armored detached signature. */
  text: string;
  armoredSignature: string;
};

type TFastPath = NonNullable<TManifest["fastPath"]>;

/** E3: one of option 1's statements as stored, with its exact text and signature. */
export type TDossierFastPathStatement = Omit<
  TFastPath["statements"][number],
  "file" | "signature" | "key" | "receivedAt"
> & { receivedAt: Date; text: string; armoredSignature: string };

type TDeployment = TDeploymentFile["deployments"][number];

export type TDossierInput = {
  exportedAt: Date;
  patch: TManifest["patch"];
  policy: TManifest["policy"];
  gates: TManifest["gates"];
  revisions: { number: number; diff: Uint8Array; uploadedBy: string; createdAt: Date }[];
  /** In the order they were received. */
  statements: TDossierStatement[];
  /** E3: option 1's patch carries its emergency's option-1 statements, in the order received. */
  fastPath?: { emergency: TFastPath["emergency"]; statements: TDossierFastPathStatement[] } | null;
  keys: { fingerprint: string; armored: string; account: TManifest["keys"][number]["account"] }[];
  events: TEventLine[];
  /** `seq`, `hash` of every other chain event between the patch's first event and the head. */
  links: { seq: string; hash: string }[];
  head: THead;
  /** Issue #16: the checkpoint covering the events and their inclusion proofs. */
  log?: TBundleLogFiles;
  /** The portal's public key, whose signature seals the manifest. */
  portal: { fingerprint: string; armored: string };
  deployments: (Omit<TDeployment, "presence" | "steps" | "notification"> & {
    presence: {
      role: TDeployment["presence"][number]["role"];
      account: string;
      statementId: string;
    }[];
    /** Each step names the ids of its signed tick and decision, which become file names. */
    steps: (Omit<TDeployment["steps"][number], "statement" | "decisionStatement"> & {
      statementId: string | null;
      decisionStatementId: string | null;
    })[];
    /** P7: the notification's exact MIME part (CRLF kept) and the admin's detached signature. */
    notification?: {
      part: string;
      armoredSignature: string;
      signer: { account: string; email: string };
      fingerprint: string;
      receivedAt: Date;
    } | null;
  })[];
};

const utf8 = (text: string) => new TextEncoder().encode(text);
const json = (value: unknown) => utf8(JSON.stringify(value, null, 2) + "\n");

function notificationEntry(
  content: Map<string, Uint8Array>,
  deploymentId: string,
  n: NonNullable<TDossierInput["deployments"][number]["notification"]>,
) {
  const part = notificationFile(deploymentId);
  content.set(part, utf8(n.part));
  content.set(signatureFile(part), utf8(n.armoredSignature.trim() + "\n"));
  return {
    part,
    signature: signatureFile(part),
    signer: n.signer,
    fingerprint: n.fingerprint,
    key: keyFile(n.fingerprint),
    receivedAt: n.receivedAt.toISOString(),
  };
}

export function assembleDossier(input: TDossierInput): Map<string, Uint8Array> {
  const content = new Map<string, Uint8Array>();
  const notifications = input.deployments.flatMap((d) =>
    d.notification ? [notificationFile(d.id)] : [],
  );
  content.set(
    VERIFY_MD,
    utf8(verifyMd(input.patch.number, notifications, Boolean(input.fastPath))),
  );

  const revisions = input.revisions.map((r) => {
    const file = revisionFile(r.number);
    content.set(file, r.diff);
    return {
      number: r.number,
      file,
      sha256: sha256Hex(r.diff),
      uploadedBy: r.uploadedBy,
      createdAt: r.createdAt.toISOString(),
    };
  });

  const statementFiles = new Map<string, string>();
  const statements = input.statements.map((s, i) => {
    const file = statementFile(i + 1, s.kind, s.verdict, s.revision, s.step);
    statementFiles.set(s.id, file);
    content.set(file, utf8(s.text));
    content.set(signatureFile(file), utf8(s.armoredSignature.trim() + "\n"));
    const { text: _text, armoredSignature: _sig, receivedAt, ...fields } = s;
    return {
      ...fields,
      file,
      signature: signatureFile(file),
      key: keyFile(s.fingerprint),
      receivedAt: receivedAt.toISOString(),
    };
  });

  const fastPath: TFastPath | undefined = input.fastPath
    ? {
        emergency: input.fastPath.emergency,
        statements: input.fastPath.statements.map((s, i) => {
          const file = fastPathStatementFile(i + 1, s.kind, s.gate, s.verdict);
          content.set(file, utf8(s.text));
          content.set(signatureFile(file), utf8(s.armoredSignature.trim() + "\n"));
          const { text: _text, armoredSignature: _sig, receivedAt, ...fields } = s;
          return {
            ...fields,
            file,
            signature: signatureFile(file),
            key: keyFile(s.fingerprint),
            receivedAt: receivedAt.toISOString(),
          };
        }),
      }
    : undefined;

  const keys = input.keys.map((k) => {
    content.set(keyFile(k.fingerprint), utf8(k.armored.trim() + "\n"));
    return { fingerprint: k.fingerprint, file: keyFile(k.fingerprint), account: k.account };
  });
  content.set(PORTAL_KEY, utf8(input.portal.armored.trim() + "\n"));

  content.set(EVENTS, utf8(input.events.map((e) => JSON.stringify(e) + "\n").join("")));
  content.set(LINKS, utf8(input.links.map((l) => `${l.seq} ${l.hash}\n`).join("")));
  const log = input.log ? writeLogFiles(content, input.log) : undefined;

  if (input.deployments.length) {
    const deployments: TDeploymentFile = {
      deployments: input.deployments.map(({ notification, ...d }) => ({
        ...d,
        presence: d.presence.map((p) => ({
          role: p.role,
          account: p.account,
          statement: statementFiles.get(p.statementId) ?? "",
        })),
        steps: d.steps.map(({ statementId, decisionStatementId, ...step }) => ({
          ...step,
          statement: (statementId && statementFiles.get(statementId)) || null,
          decisionStatement:
            (decisionStatementId && statementFiles.get(decisionStatementId)) || null,
        })),
        ...(notification ? { notification: notificationEntry(content, d.id, notification) } : {}),
      })),
    };
    content.set(DEPLOYMENT, json(deployments));
  }

  // SHA256SUMS lists the same files as the manifest, which lists SHA256SUMS: one signature covers all.
  content.set(CHECKSUMS, utf8(checksumsText(content)));
  const manifest: TManifest = {
    format: DOSSIER_FORMAT,
    exportedAt: input.exportedAt.toISOString(),
    portal: { fingerprint: input.portal.fingerprint, key: PORTAL_KEY },
    patch: input.patch,
    policy: input.policy,
    gates: input.gates,
    revisions,
    statements,
    ...(fastPath ? { fastPath } : {}),
    keys,
    audit: { events: EVENTS, count: input.events.length, head: input.head, links: LINKS },
    ...(log ? { log } : {}),
    deployment: input.deployments.length ? DEPLOYMENT : null,
    files: Object.fromEntries([...content].map(([name, bytes]) => [name, sha256Hex(bytes)])),
  };
  return new Map<string, Uint8Array>([[MANIFEST, json(manifest)], ...content]);
}
