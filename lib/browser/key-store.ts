// The browser's own store of private keys (IndexedDB via idb-keyval). Keys are
// kept armored and passphrase-encrypted; they never leave this browser.
import { createStore, del, get, set, values } from "idb-keyval";

export type TStoredPrivateKey = {
  fingerprint: string;
  armoredPrivateKey: string;
  userId: string;
  /** When this browser got the key (not when the key was made). */
  createdAt: string;
  /** Absent on keys stored before imports existed: those were all generated here. */
  origin?: "generated" | "imported";
};

/** Dispatched on window whenever the store changes, so every list of keys on the page follows. */
export const KEY_STORE_CHANGED = "patchgate:key-store-changed";

const store = () => createStore("patchgate", "private-keys");

function changed() {
  if (typeof window !== "undefined") window.dispatchEvent(new Event(KEY_STORE_CHANGED));
}

export async function savePrivateKey(entry: TStoredPrivateKey): Promise<void> {
  await set(entry.fingerprint, entry, store());
  changed();
}

export async function loadPrivateKey(fingerprint: string): Promise<TStoredPrivateKey | undefined> {
  return get<TStoredPrivateKey>(fingerprint, store());
}

/** Every key this browser holds, oldest first. */
export async function listPrivateKeys(): Promise<TStoredPrivateKey[]> {
  const all = await values<TStoredPrivateKey>(store());
  return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Removes the key from this browser only; the server's public key is not touched. */
export async function forgetPrivateKey(fingerprint: string): Promise<void> {
  await del(fingerprint, store());
  changed();
}
