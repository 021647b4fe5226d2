import { hash, verify } from "@node-rs/argon2";

// Argon2id with the library's defaults (OWASP-compliant memory and time cost).
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export const ZPasswordRule = { min: 10, max: 256 } as const;
