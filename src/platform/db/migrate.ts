import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Pool } from "./pool.ts";
import { inTransaction } from "./pool.ts";

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_.+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number.parseInt(file.slice(0, 4), 10),
      name: file.slice(5, -4),
      sql: readFileSync(path.join(dir, file), "utf8"),
    }));
}

/** Applies every migration not yet recorded, each in its own transaction, under an advisory lock. */
export async function migrate(pool: Pool): Promise<number[]> {
  const applied: number[] = [];
  await inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(727274)");
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const done = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
    const have = new Set(done.rows.map((row) => row.version));
    for (const migration of listMigrations()) {
      if (have.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name]);
      applied.push(migration.version);
    }
  });
  return applied;
}
