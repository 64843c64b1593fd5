import assert from "node:assert/strict";
import { test } from "node:test";
import { testDatabase } from "../../support/db.ts";
import { countedTables, rowCounts } from "../../support/server.ts";

test("the tests' nothing-changed check counts every table the migrations create, read from the schema", async () => {
  const db = await testDatabase();
  try {
    const tables = await countedTables(db.pool);
    for (const table of ["evaluations", "evaluation_roles", "subject_endpoints", "judgments", "user", "session"]) {
      assert.ok(tables.includes(table), `${table} is counted`);
    }
    assert.ok(!tables.includes("schema_migrations"), "the migrations ledger is not counted");
    const counts = await rowCounts(db.pool);
    assert.deepEqual(Object.keys(counts).sort(), [...tables, "assignments_judged"].sort());
    await db.pool.query("INSERT INTO evaluations (slug, title) VALUES ('row-counts', 'Row counts')");
    assert.deepEqual(await rowCounts(db.pool), { ...counts, evaluations: (counts["evaluations"] ?? 0) + 1 });
  } finally {
    await db.close();
  }
});
