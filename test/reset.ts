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
  await db.$transaction([
    db.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`),
    db.$executeRawUnsafe(`TRUNCATE ${list} RESTART IDENTITY CASCADE`),
  ]);
}
