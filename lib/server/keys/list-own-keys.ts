import "server-only";
import { requirePerson, type TActor } from "../../auth/actor";
import { liveKeys } from "./signing-key";

/**
 * The fingerprints of the actor's own live keys, newest first: what the signing
 * dialog matches this browser's stored keys against. Public data, and only the
 * actor's own.
 */
export async function listOwnKeyFingerprints({ actor }: { actor: TActor }): Promise<string[]> {
  const person = requirePerson(actor);
  return (await liveKeys(person.id)).map((k) => k.fingerprint);
}
