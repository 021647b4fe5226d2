import * as openpgp from "openpgp";
import pg from "pg";
import { createEmptyDatabase } from "../lib/database";
import { atConcurrency, type TTimed } from "../lib/stats";

// The floor for a sign-off on this machine, ported from ../shared/bench/signoff-floor/floor.mjs:
// for each request, verify one detached OpenPGP signature over a statement with the signer's
// key and insert one row. No HTTP, no auth, no audit chain: what the portal does beyond this
// is its overhead. Run here on the very statements and signatures the portal receives.

export type TFloorWork = { text: string; signature: string; key: string };

/** A fresh database with the floor's one table; dropped at the benchmark's cleanup. */
export async function prepareSignoffFloor(concurrency: number) {
  const { url } = await createEmptyDatabase("floor");
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  await pool.query(`CREATE TABLE signoff (id bigserial PRIMARY KEY, statement text NOT NULL,
    signature text NOT NULL, fingerprint text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
  return {
    /** One timed pass over `work` at the floor's concurrency; checks every row landed. */
    async run(work: readonly TFloorWork[]): Promise<TTimed> {
      await pool.query("TRUNCATE signoff");
      const timed = await atConcurrency(work, concurrency, async ({ text, signature, key }) => {
        const verificationKeys = await openpgp.readKey({ armoredKey: key });
        const { signatures } = await openpgp.verify({
          message: await openpgp.createMessage({ text }),
          signature: await openpgp.readSignature({ armoredSignature: signature }),
          verificationKeys,
        });
        await signatures[0].verified;
        await pool.query(
          "INSERT INTO signoff (statement, signature, fingerprint) VALUES ($1, $2, $3)",
          [text, signature, verificationKeys.getFingerprint()],
        );
      });
      const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM signoff");
      if (rows[0].n !== work.length)
        throw new Error(`floor inserted ${rows[0].n} of ${work.length}`);
      return timed;
    },
    close: () => pool.end(),
  };
}
