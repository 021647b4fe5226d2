import { workerDatabaseUrl } from "./test-database";

// Before a test file imports lib/db: this worker's own copy of the run's database.
const template = process.env.TEST_DATABASE_TEMPLATE;
if (!template) throw new Error("integration tests run through vitest's global setup");
process.env.DATABASE_URL = await workerDatabaseUrl(template, process.env.VITEST_POOL_ID ?? "1");
