import "server-only";
import type { Tx } from "../../db";

/**
 * Writes the expiry warning now due (U3) for these trusted certificates, in the
 * caller's transaction: a certificate added after a mark has passed gets that
 * mark's mail at once, once. Built by the expiry branch (issue 13).
 */
export async function queueExpiryWarnings(
  tx: Tx,
  certificateIds: readonly string[],
  now = new Date(),
) {
  void tx;
  void certificateIds;
  void now;
}
