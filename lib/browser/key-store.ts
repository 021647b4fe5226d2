// The browser's own store of private keys (IndexedDB via idb-keyval). Keys are
// kept armored and passphrase-encrypted; they never leave this browser.
import { createStore, get, set, keys as storeKeys } from "idb-keyval";

export type TStoredPrivateKey = {
  fingerprint: string;
  armoredPrivateKey: string;
  userId: string;
  createdAt: string;
};

const store = () => createStore("patchgate", "private-keys");

export async function savePrivateKey(entry: TStoredPrivateKey): Promise<void> {
  await set(entry.fingerprint, entry, store());
}

export async function loadPrivateKey(fingerprint: string): Promise<TStoredPrivateKey | undefined> {
  return get<TStoredPrivateKey>(fingerprint, store());
}

export async function storedFingerprints(): Promise<string[]> {
  return (await storeKeys(store())).map(String);
}
