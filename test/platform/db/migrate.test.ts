import assert from "node:assert/strict";
import { test } from "node:test";
import { createDatabase, createPool } from "../../../src/platform/db/pool.ts";
import { listMigrations, migrate } from "../../../src/platform/db/migrate.ts";

test("migrates an empty database to the latest version, and a second run applies nothing", async () => {
  const adminUrl = process.env.COUNTERPUBLIC_TEST_ADMIN_URL ?? "";
  const name = `empty_${process.pid}`;
  await createDatabase(adminUrl, name);
  const pool = createPool(adminUrl.replace(/\/postgres$/, `/${name}`), 2);
  try {
    const first = await migrate(pool);
    assert.deepEqual(first, listMigrations().map((m) => m.version));
    assert.deepEqual(await migrate(pool), []);
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM schema_migrations");
    assert.equal(rows[0]?.n, listMigrations().length);
  } finally {
    await pool.end();
  }
});
