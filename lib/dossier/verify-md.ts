import { dossierFileName, dossierRoot, signatureFile } from "./layout";
import { LOG_VERIFY_TEXT } from "./verify-log-md";

/** The VERIFY.md inside every dossier: how to check it with stock tools, and with patchgate. */
export function verifyMd(
  patchNumber: number,
  notifications: readonly string[] = [],
  fastPath = false,
): string {
  const root = dossierRoot(patchNumber);
  // P7: the critical admin's signed notification, checked over the part's exact bytes (CRLF kept).
  const notificationLines = notifications
    .map((part) => `\n    gpg --verify ${signatureFile(part)} ${part}`)
    .join("");
  // E3: option 1's patch: its gates are statements signed on the emergency, in emergency/.
  const fastPathLine = fastPath
    ? `\n    for f in emergency/*.txt; do gpg --verify "$f.asc" "$f"; done`
    : "";
  const fastPathText = fastPath
    ? `

This patch was option 1's patch on an emergency's fast path: its gates are the
statements in emergency/, signed on the emergency (\`kind: option1-patch\` or
\`gate\`), each naming this patch's \`patch-number\` (but the first preparation,
which created the patch) and the diff's SHA-256 (\`patch-sha256\`). The preparation
counts as the submission, the reviews and tests as reviews and tests, and the 2nd
review also as the request.`
    : "";
  return `# Verifying the dossier of patch ${patchNumber}

This dossier is the full record of one patch in Patchgate: every revision's diff,
every signed statement beside its detached signature, every signer's public key,
the patch's audit events, the deployment record, and manifest.json describing all
of it. manifest.json.asc is the portal's detached signature over manifest.json.

## What is proven, and by whom

Nothing in this dossier proves anything on its own: anyone can make keys with
anyone's name and sign anything. What you check it against is the portal's key,
which you take from the portal itself (\`GET /api/portal-key\`), never from this
dossier, or whose fingerprint you already trust.

- With a good manifest.json.asc, **the portal vouches** for what manifest.json says:
  which account (id, e-mail, name) each key in keys/ is registered to, which roles
  that account held when each of its statements was received, the audit chain's
  head at export, and the SHA-256 of every other file (SHA256SUMS lists the same).
- Each statement's signature proves that **the named key signed that exact,
  server-built statement**: the patch, the revision, the diff's SHA-256, the verdict.
- The patch's audit events recompute and, through audit/links.txt (the hashes of
  the portal's other events in between), chain to the head the manifest names.
  The links carry hashes only: their content stays in the portal.
- Each audit event is a leaf of the portal's transparency log: log/ holds the
  signed checkpoint and the events' inclusion proofs (see "The transparency log"
  below). A checkpoint you obtained elsewhere does not rest on the portal at all.

## With stock tools (GnuPG 2.2 or later, coreutils)

Unpack the dossier and work inside its directory, in a throwaway GnuPG home.
Fetch the portal key from the portal (or compare its fingerprint with one you
trust: \`gpg --show-keys portal-key.asc\`), not from this dossier:

    tar xzf ${dossierFileName(patchNumber)}
    cd ${root}
    export GNUPGHOME=$(mktemp -d)
    curl -sS https://<your portal>/api/portal-key | gpg --import
    gpg --verify manifest.json.asc manifest.json
    grep -F "\\"SHA256SUMS\\": \\"$(sha256sum SHA256SUMS | cut -c1-64)\\"" manifest.json
    sha256sum -c SHA256SUMS
    gpg --import keys/*.asc
    for f in statements/*.txt; do gpg --verify "$f.asc" "$f"; done${fastPathLine}${notificationLines}

\`gpg --verify manifest.json.asc\` must say "Good signature" from the portal key
you fetched (check it before importing keys/*.asc: until then the throwaway home
holds the portal key alone); the \`grep\` must print the SHA256SUMS line (the signed manifest names
that list's hash); \`sha256sum -c\` must say OK for every file. Then every file is
the one the portal exported, and each statement's \`gpg --verify\` must say "Good
signature". GnuPG warns that the people's keys are not certified: which account a
key belongs to is what manifest.json's \`keys\` list says, under the portal's
signature; the name on the key itself proves nothing. Compare the fingerprint
gpg prints for each statement with the statement's \`key-fingerprint\` and with
the account the manifest binds that key to.

Then read the statements: each names the patch, the revision, the diff's SHA-256
(\`diff-sha256\`), the verdict, the signer's account and key fingerprint. Check the
hash against the diff it is about, e.g. \`sha256sum revisions/r1.diff\`.${fastPathText}

## With Patchgate

    curl -sS -o portal-key.asc https://<your portal>/api/portal-key
    npx patchgate verify ${dossierFileName(patchNumber)} --portal-key portal-key.asc

or \`--portal-fingerprint <FINGERPRINT>\` (then the portal-key.asc in the dossier is
used only if it has that fingerprint). Without either it checks everything else,
says that nothing is proven without a trust anchor, and exits non-zero. It works
offline (no database, no network) and checks:

- manifest.json.asc is a good signature over manifest.json by the portal key;
- every file's SHA-256 against manifest.json and SHA256SUMS, and that no file is
  missing or unlisted;
- each statement parses, names a key whose file is in the dossier with that
  fingerprint, and its detached signature verifies with that key;
- each statement's key is registered to the account that signs it, per the
  manifest, and that account held a role allowed to sign it when it was received
  (a review: assessor; a test: tester; a step: critical admin; ...);
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
- each audit event's hash recomputes, every revision and signature has its audit
  event, and the events with audit/links.txt form one unbroken chain to the head
  manifest.json names;
- log/checkpoint.asc is the portal key's signature over log/checkpoint, whose note
  signature verifies with log/note-key, and each audit event's leaf, recomputed from
  audit/events.jsonl, is in the checkpoint's tree by its proof in log/proofs.json.

It prints one line per check and exits non-zero naming every problem.
${LOG_VERIFY_TEXT}`;
}
