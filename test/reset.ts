import { db } from "../lib/db";

/**
 * Empties every table between tests. The audit log refuses TRUNCATE through its
 * trigger; the test database's superuser switches triggers off for this session
 * only (session_replication_role), which production roles cannot do.
 */
export async function resetDatabase(): Promise<void> {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
  const list = tables.map((t) => `"${t.name}"`).join(", ");
  // A worker runtime left running by the test file (its sweep, the log integrator)
  // may hold locks on some of the tables; PostgreSQL then picks one side of the
  // deadlock to abort. When that is the TRUNCATE, it is simply tried again.
  for (let attempt = 1; ; attempt++) {
    try {
      await db.$transaction([
        db.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`),
        db.$executeRawUnsafe(`TRUNCATE ${list} RESTART IDENTITY CASCADE`),
      ]);
      return;
    } catch (e) {
      if (attempt >= 5 || !String(e).includes("40P01")) throw e;
    }
  }
}
