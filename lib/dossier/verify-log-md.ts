// Issue #16: the VERIFY.md section every bundle ends with, on its log files.
// One text for the five kinds, since the log checks are the same for all.

export const LOG_VERIFY_TEXT = `
## The transparency log (log/)

Every audit event in this bundle is a leaf of the portal's transparency log (RFC 6962 / 9162):
log/checkpoint is the log's signed checkpoint (a C2SP tlog-checkpoint: origin, tree size, root
hash) as the portal served it, signed with the log's Ed25519 note key (log/note-key) and with the
portal key (log/checkpoint.asc); log/proofs.json holds one inclusion proof per event.
\`patchgate verify\` checks both signatures, recomputes each event's leaf from its line in
audit/events.jsonl and checks its proof against the checkpoint's root. With stock tools:

    gpg --verify log/checkpoint.asc log/checkpoint   # with the portal key imported as above

The checkpoint is also a trust anchor of its own: compare it with one you obtained elsewhere (the
list archive the portal mails checkpoints to, a monitor's state file):

    patchgate verify <bundle>.tar.gz --portal-key portal-key.asc --checkpoint <file> --portal https://<your portal>

checks that file's note signature with log/note-key, and that the two trees are one append-only log
(the smaller a prefix of the larger, by a consistency proof the portal serves but cannot forge).
Then the events in this bundle are the ones everybody else's copy of the log holds.
`;
