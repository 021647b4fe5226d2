import { createTestDatabase, dropTestDatabase } from "./test-database";

// Runs once per `vitest --project integration`: the workers inherit DATABASE_URL.
export default async function setup() {
  const { name, url } = await createTestDatabase("int");
  process.env.DATABASE_URL = url;
  return async () => {
    await dropTestDatabase(name);
  };
}
