import { randomBytes } from "node:crypto";
import { createDatabase, createPool, type Pool } from "../../src/platform/db/pool.ts";

/** A fresh database cloned from the migrated template, for one test file. */
export async function testDatabase(): Promise<{ pool: Pool; url: string; close: () => Promise<void> }> {
  const adminUrl = process.env.COUNTERPUBLIC_TEST_ADMIN_URL;
  const template = process.env.COUNTERPUBLIC_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error("run the suite with `npm test` (scripts/test.ts starts PostgreSQL)");
  const name = `t_${randomBytes(6).toString("hex")}`;
  await createDatabase(adminUrl, name, template);
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const pool = createPool(url, 5);
  return { pool, url, close: () => pool.end() };
}
