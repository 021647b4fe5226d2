// The driver adapter used ONLY by the Prisma CLI (prisma.config.ts), never by
// the app. It works around three defects of @prisma/adapter-pg 6.19 when the
// wasm schema engine runs migrations (see docs/decisions/0001):
//  1. catalog columns of type `name` (OID 19) and `"char"` (OID 18) are
//     unsupported by the adapter: report them as text (OID 25);
//  2. the stock shadow database points at the main database and is dropped
//     before its pool closes: make a real, separate one and drop it after;
//  3. executeScript splits at every `;`, breaking `$$` trigger bodies: send
//     the whole script as one statement.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Field = { dataTypeID: number };

const TEXT_OID = 25;
const CATALOG_OIDS = new Set([18, 19]);

let performIOPatched = false;

function patchPerformIO(adapter: Adapter): void {
  if (performIOPatched) return;
  // PgQueryable.prototype, shared by the adapter and its transactions.
  const queryable = Object.getPrototypeOf(Object.getPrototypeOf(adapter)) as {
    performIO: (query: unknown) => Promise<{ fields?: Field[] }>;
  };
  const original = queryable.performIO;
  queryable.performIO = async function (this: unknown, query: unknown) {
    const result = await original.call(this, query);
    for (const field of result?.fields ?? []) {
      if (CATALOG_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
    return result;
  };
  performIOPatched = true;
}

function patchScript(adapter: Adapter): Adapter {
  adapter.executeScript = async (sql: string) => {
    await adapter.executeRaw({ sql, args: [], argTypes: [] });
  };
  return adapter;
}

async function open(connectionString: string): Promise<Adapter> {
  // Idle pooled connections must not keep the CLI alive for pg-pool's 10 s idle timeout.
  const adapter = await new PrismaPg({ connectionString, allowExitOnIdle: true }).connect();
  patchPerformIO(adapter);
  return patchScript(adapter);
}

export function cliAdapter(connectionString: string) {
  return {
    provider: "postgres" as const,
    adapterName: "@prisma/adapter-pg",
    connect: () => open(connectionString),
    async connectToShadowDb() {
      const name = `prisma_shadow_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      const url = new URL(connectionString);
      url.pathname = `/${name}`;
      const shadow = await open(url.toString());
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.end();
      };
      return shadow;
    },
  };
}
