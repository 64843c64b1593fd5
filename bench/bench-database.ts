/** The benches' own embedded PostgreSQL in a temporary folder, with a database "bench", and its clean-up. */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDatabase, createPool, type Pool } from "../src/platform/db/pool.ts";
import { startEmbeddedPostgres, type EmbeddedServer } from "../src/platform/db/embedded.ts";

export interface BenchDatabase {
  readonly dataDir: string;
  readonly pg: EmbeddedServer;
  readonly pool: Pool;
  /** ends the pool, stops PostgreSQL and deletes the folder */
  close(): Promise<void>;
}

export async function benchDatabase(poolSize = 10): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "counterpublic-bench-"));
  const pg = await startEmbeddedPostgres({ dataDir, persistent: false });
  await createDatabase(pg.url("postgres"), "bench");
  const pool = createPool(pg.url("bench"), poolSize);
  return {
    dataDir,
    pg,
    pool,
    close: async () => {
      await pool.end();
      await pg.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
