import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, Prisma } from "./generated/prisma/client";
import { env } from "./env";

// One client per process (and one across Next dev-mode reloads).
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export const db: PrismaClient =
  globalForPrisma.prisma ??
  new PrismaClient({
    adapter: new PrismaPg({ connectionString: env().DATABASE_URL }),
    // A burst of sign-offs may wait for a pooled connection longer than Prisma's 2 s
    // default before its transaction starts; waiting beats failing the request.
    transactionOptions: { maxWait: 10_000 },
  });

if (process.env.NODE_ENV !== "production") globalForPrisma.prisma = db;

/** A transaction client, as passed to `db.$transaction(async (tx) => ...)`. */
export type Tx = Prisma.TransactionClient;
export { Prisma };
