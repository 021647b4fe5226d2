import { randomBytes } from "node:crypto";
import { hashPassword, verifyPassword } from "./password";

// Without a stored hash there is nothing to verify, but answering at once would
// tell an attacker which emails have accounts: Argon2 runs either way.
let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(randomBytes(32).toString("base64url")));

/** True only if the hash exists and the password matches; takes one Argon2 verification in every case. */
export async function checkPassword(
  passwordHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  if (passwordHash) return verifyPassword(passwordHash, password);
  await verifyPassword(await dummyHash(), password);
  return false;
}
