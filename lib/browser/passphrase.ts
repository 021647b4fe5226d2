// The rule for a passphrase chosen in this browser (a generated key, or an
// unprotected key imported here). Kept apart from openpgp.js so the profile
// page can check it without loading the library.

export const MIN_NEW_PASSPHRASE_LENGTH = 12;

/** null when the pair is fit to protect a key, else why not (in words for the person typing). */
export function newPassphraseProblem(
  passphrase: string,
  confirm: string,
): { reason: "weak-passphrase" | "passphrases-differ"; message: string } | null {
  if (passphrase.length < MIN_NEW_PASSPHRASE_LENGTH)
    return {
      reason: "weak-passphrase",
      message: `Choose a passphrase of at least ${MIN_NEW_PASSPHRASE_LENGTH} characters.`,
    };
  if (passphrase !== confirm)
    return { reason: "passphrases-differ", message: "The two passphrases differ." };
  return null;
}
