import "server-only";
import { db } from "../../db";
import { AuditChainVerifier, type TChainVerdict } from "../../crypto/audit-chain";

const PAGE = 2000;

/** Reads the whole log in pages and recomputes the chain (X2). */
export async function verifyStoredChain(): Promise<TChainVerdict> {
  const verifier = new AuditChainVerifier();
  let after = 0n;
  for (;;) {
    const page = await db.auditEvent.findMany({
      where: { seq: { gt: after } },
      orderBy: { seq: "asc" },
      take: PAGE,
    });
    for (const row of page) {
      const failure = verifier.next(row);
      if (failure) return failure;
    }
    if (page.length < PAGE) return verifier.result();
    after = page[page.length - 1].seq;
  }
}

export async function chainHead() {
  return db.auditEvent.findFirst({
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true, at: true },
  });
}
