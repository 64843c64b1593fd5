import pg from "pg";

export type Pool = pg.Pool;
export type Client = pg.PoolClient;
export type Queryable = Pick<pg.Pool, "query">;

// bigint counts come back as strings by default; counts here fit in a JS number.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(1700, (value) => Number.parseFloat(value));

export function createPool(connectionString: string, max = 10): Pool {
  const pool = new pg.Pool({ connectionString, max });
  // An idle connection that the server closes (restart, failover, shutdown) must not crash the process;
  // the pool replaces it, and a query in flight still gets its own error.
  pool.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") process.stderr.write(`counterpublic: idle database connection lost: ${error.message}\n`);
  });
  return pool;
}

/**
 * Runs `work` in one transaction; rolls back on any error so bad input changes nothing. `lockKey` takes a
 * transaction-scoped advisory lock in the same round trip as BEGIN, so requests sharing a key run one after
 * the other.
 */
export async function inTransaction<T>(pool: Pool, work: (client: Client) => Promise<T>, options: { lockKey?: string } = {}): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(options.lockKey ? `BEGIN; SELECT pg_advisory_xact_lock(hashtext(${client.escapeLiteral(options.lockKey)}))` : "BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) {
      const tpl = template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : "";
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${tpl}`);
    }
  } finally {
    await client.end();
  }
}
