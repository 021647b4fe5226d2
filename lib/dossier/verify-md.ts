import { dossierFileName, dossierRoot, signatureFile } from "./layout";

/** The VERIFY.md inside every dossier: how to check it with stock tools, and with patchgate. */
export function verifyMd(patchNumber: number, notifications: readonly string[] = []): string {
  const root = dossierRoot(patchNumber);
  // P7: the critical admin's signed notification, checked over the part's exact bytes (CRLF kept).
  const notificationLines = notifications
    .map((part) => `\n    gpg --verify ${signatureFile(part)} ${part}`)
    .join("");
  return `# Verifying the dossier of patch ${patchNumber}

This dossier is the full record of one patch in Patchgate: every revision's diff,
every signed statement beside its detached signature, every signer's public key,
the patch's audit events with the audit chain's head at export time, the
deployment record, and manifest.json describing all of it.

## With stock tools (GnuPG 2.2 or later, coreutils)

Unpack the dossier and work inside its directory, in a throwaway GnuPG home:

    tar xzf ${dossierFileName(patchNumber)}
    cd ${root}
    export GNUPGHOME=$(mktemp -d)
    sha256sum -c SHA256SUMS
    gpg --import keys/*.asc
    for f in statements/*.txt; do gpg --verify "$f.asc" "$f"; done${notificationLines}

Every \`gpg --verify\` must say "Good signature". GnuPG will warn that the keys are
not certified: compare each key's fingerprint (keys/<FINGERPRINT>.asc) with one
you trust for that person.

Then read the statements: each names the patch, the revision, the diff's SHA-256
(\`diff-sha256\`), the verdict, the signer's account and key fingerprint. Check the
hash against the diff it is about, e.g. \`sha256sum revisions/r1.diff\`.

## With Patchgate

    npx patchgate verify ${dossierFileName(patchNumber)}

works offline (no database, no network) and checks:

- every file's SHA-256 against manifest.json and SHA256SUMS, and that no file is
  missing or unlisted;
- each statement parses, names a key whose file is in the dossier with that
  fingerprint, and its detached signature verifies with that key;
- each statement's \`diff-sha256\` is the SHA-256 of the dossier's diff of that
  revision, and its patch id, number and system are this patch's;
- the statements agree with the manifest (kind, verdict, revision, signer);
- a review's line comments (its \`line-comment-N\` fields: file, line, text, signed
  with the review) parse and name files and lines of the diff it signs;
- the signers are distinct people: a key belongs to one account, one person
  votes once per revision and never in both gates, the author never counts;
- the gates recomputed from the statements under the recorded policy match the
  recorded ones, and are met when the patch was requested or deployed; the
  state recomputed from statements and deployment record is the recorded one;
- every deployment step ticked by hand, and every signing-server decision, is a signed step
  statement, in step order, by a critical admin who took no other part in the patch, whose
  evidence is what deployment.json records;
- each deployment notification (notifications/<deployment>.part, the exact MIME part
  the critical admin signed) verifies with its \`.asc\` and the admin's key in the
  dossier, and its signer signed ticks of that deployment;
- the signing-server visit (two critical admins, one access engineer) was signed
  before any step of such a deployment was done;
- each audit event's hash recomputes, sequence numbers increase, consecutive
  events link, every revision and signature has its audit event, and the
  events do not run past audit/head.json.

It prints one line per check and exits non-zero naming every problem.

## What the dossier cannot prove alone

The signatures prove who signed what. That the audit events are the portal's
own rests on the chain head: compare audit/head.json with the head the portal
publishes (\`patchgate audit head\` on the server), or with a later dossier.
`;
}
