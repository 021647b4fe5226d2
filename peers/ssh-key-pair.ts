import ssh2 from "ssh2";

const { utils } = ssh2; // CommonJS: not all of it is visible as named exports

/**
 * A fresh Ed25519 key pair in OpenSSH format. About 1 in 400 keys ssh2 generates
 * is refused by its own parser ("Malformed OpenSSH private key"); such a key is
 * made again rather than handed to a server that cannot load it.
 */
export function ed25519KeyPair(comment?: string): { private: string; public: string } {
  for (let attempt = 1; ; attempt++) {
    const k = utils.generateKeyPairSync("ed25519", comment ? { comment } : undefined);
    if (!(utils.parseKey(k.private) instanceof Error)) return k;
    if (attempt >= 10) throw new Error("ssh2 made no Ed25519 key it can read in 10 tries");
  }
}
