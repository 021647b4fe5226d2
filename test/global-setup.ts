import { createTestDatabase, dropTestDatabases } from "./test-database";

// Runs once per `vitest --project integration`: one migrated database is the
// template; each vitest worker copies it into a database of its own
// (test/worker-database.ts), so test files run side by side.
export default async function setup() {
  const { name } = await createTestDatabase("int");
  process.env.TEST_DATABASE_TEMPLATE = name;
  return async () => {
    await dropTestDatabases(name);
  };
}
