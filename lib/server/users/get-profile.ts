import "server-only";
import { db } from "../../db";
import { requirePerson, type TActor } from "../../auth/actor";

/** The signed-in person's own keys (removed ones too, marked) and API tokens (never their hashes). */
export async function getProfile({ actor }: { actor: TActor }) {
  const person = requirePerson(actor);
  const [keys, tokens] = await Promise.all([
    db.pgpKey.findMany({
      where: { userId: person.id },
      orderBy: { addedAt: "asc" },
      select: {
        id: true,
        fingerprint: true,
        algorithm: true,
        userIds: true,
        keyCreatedAt: true,
        expiresAt: true,
        addedAt: true,
        removedAt: true,
        revokedAt: true,
        revocationReason: true,
      },
    }),
    db.apiToken.findMany({
      where: { userId: person.id },
      orderBy: { createdAt: "desc" },
      select: {
        id: true,
        name: true,
        prefix: true,
        createdAt: true,
        lastUsedAt: true,
        revokedAt: true,
        expiresAt: true,
        scope: true,
      },
    }),
  ]);
  return { keys, tokens };
}
