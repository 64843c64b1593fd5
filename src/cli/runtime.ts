import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createPool, type Pool } from "../platform/db/pool.ts";
import { startEmbeddedPostgres, type EmbeddedServer } from "../platform/db/embedded.ts";
import { createDatabase } from "../platform/db/pool.ts";
import { migrate } from "../platform/db/migrate.ts";

export interface Runtime {
  pool: Pool;
  embedded: EmbeddedServer | null;
  dataDir: string;
  close: () => Promise<void>;
}

export const DEFAULT_DATA_DIR = ".counterpublic";
/**
 * Every command's --data-dir has no default of its own, so that openRuntime falls back to COUNTERPUBLIC_DATA_DIR
 * and only then to ./.counterpublic (a default in the option hid the variable: export or results under a
 * service's environment started an empty database in the working folder).
 */
export const DATA_DIR_DEFAULT_NOTE = " (default: $COUNTERPUBLIC_DATA_DIR, else ./.counterpublic)";
const POOL_END_MS = 5000;

/**
 * Connects to DATABASE_URL when set; otherwise starts the embedded PostgreSQL under `dataDir`.
 * Migrates the schema either way.
 */
export async function openRuntime(opts: { dataDir?: string; log?: (line: string) => void }): Promise<Runtime> {
  const dataDir = path.resolve(opts.dataDir ?? process.env.COUNTERPUBLIC_DATA_DIR ?? DEFAULT_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  let embedded: EmbeddedServer | null = null;
  let url = process.env.DATABASE_URL;
  if (!url) {
    const port = process.env.COUNTERPUBLIC_PG_PORT ? Number(process.env.COUNTERPUBLIC_PG_PORT) : undefined;
    embedded = await startEmbeddedPostgres({ dataDir, ...(port ? { port } : {}), ...(opts.log ? { log: opts.log } : {}) });
    await createDatabase(embedded.url("postgres"), "counterpublic");
    url = embedded.url("counterpublic");
  }
  const pool = createPool(url, 10);
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    await embedded?.stop();
    throw error;
  }
  let closed = false;
  return {
    pool,
    embedded,
    dataDir,
    close: async () => {
      if (closed) return;
      closed = true;
      // a query that never returns must not keep PostgreSQL up: stopping it ends the connection anyway
      await Promise.race([pool.end(), new Promise((resolve) => setTimeout(resolve, POOL_END_MS).unref())]);
      await embedded?.stop();
    },
  };
}

/** The session-signing secret: COUNTERPUBLIC_SECRET, or one generated once and kept in the data folder. */
export function loadSecret(dataDir: string): string {
  if (process.env.COUNTERPUBLIC_SECRET) return process.env.COUNTERPUBLIC_SECRET;
  const file = path.join(dataDir, "secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
