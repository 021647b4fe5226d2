// Whether an OpenPGP key claims an account's e-mail address: one of its user
// IDs is `Name <address>` (comment allowed) or the bare address, compared
// without regard to case. Pure, so the profile, the patch page and the
// registration check read the stored user IDs the same way.

/** The address a user ID names, lower-cased, or null when it names none. */
export function userIdAddress(userId: string): string | null {
  const bracketed = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(userId);
  if (bracketed) return bracketed[1].toLowerCase();
  const bare = userId.trim();
  return /^[^\s<>@]+@[^\s<>@]+$/.test(bare) ? bare.toLowerCase() : null;
}

export function userIdsClaimEmail(userIds: readonly string[], email: string): boolean {
  const wanted = email.trim().toLowerCase();
  return userIds.some((u) => userIdAddress(u) === wanted);
}

/** The warning shown wherever a key that does not claim its owner's address is displayed. */
export function userIdMismatchWarning(email: string): string {
  return `None of this key's user IDs carries the account's address ${email}: the key may not be this person's.`;
}
