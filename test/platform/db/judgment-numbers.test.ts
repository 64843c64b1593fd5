/**
 * Migrations 0015 and 0017 (judgment numbers): an upgrade of a database holding data, and a write of a number itself.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, test } from "node:test";
import { createDatabase, createPool, type Pool } from "../../../src/platform/db/pool.ts";
import { listMigrations } from "../../../src/platform/db/migrate.ts";
import { readJudgmentSnapshot } from "../../../src/modules/results/judgment-snapshot.ts";
import { testDatabase } from "../../support/db.ts";

const pools: Pool[] = [];
after(async () => {
  for (const pool of pools) await pool.end();
});

async function emptyDatabase(): Promise<Pool> {
  const adminUrl = process.env.COUNTERPUBLIC_TEST_ADMIN_URL as string;
  const name = `u_${randomBytes(6).toString("hex")}`;
  await createDatabase(adminUrl, name);
  const pool = createPool(adminUrl.replace(/\/postgres$/, `/${name}`), 3);
  pools.push(pool);
  return pool;
}

async function seed(pool: Pool, slug: string) {
  const id = (await pool.query<{ id: string }>("INSERT INTO evaluations (slug, title) VALUES ($1, 'x') RETURNING id", [slug])).rows[0]?.id as string;
  const subjects: string[] = [];
  for (const name of ["A", "B", "C"]) subjects.push((await pool.query<{ id: string }>("INSERT INTO subjects (evaluation_id, name, kind) VALUES ($1, $2, 'model') RETURNING id", [id, name])).rows[0]?.id as string);
  const item = (await pool.query<{ id: string }>("INSERT INTO items (evaluation_id, external_ref, prompt) VALUES ($1, 'i', 'p') RETURNING id", [id])).rows[0]?.id as string;
  const people: string[] = [];
  for (let p = 0; p < 4; p++) {
    const person = (await pool.query<{ id: string }>("INSERT INTO participants (evaluation_id, pseudonym) VALUES ($1, $2) RETURNING id", [id, `p${p}`])).rows[0]?.id as string;
    await pool.query("INSERT INTO consents (participant_id, evaluation_id, charter_version, scopes) VALUES ($1, $2, 1, $3)", [person, id, ["aggregate"]]);
    people.push(person);
  }
  for (const [k, person] of people.entries()) {
    await pool.query(
      `INSERT INTO judgments (evaluation_id, participant_id, item_id, kind, body, subject_a, subject_b, outcome, charter_version, consent_scopes)
       VALUES ($1, $2, $3, 'pairwise', '{"kind":"pairwise","outcome":"a"}', $4, $5, 'a', 1, '{aggregate}')`,
      [id, person, k % 2 ? item : null, subjects[k % 3], subjects[(k + 1) % 3]],
    );
  }
  return { id, subjects, people, item };
}

test("upgrade: 0015 over a database holding judgments numbers every row and leaves pair_counts as they were", async () => {
  const pool = await emptyDatabase();
  const migrations = listMigrations();
  const before = migrations.filter((m) => m.version < 15);
  for (const m of before) await pool.query(m.sql);
  const e1 = await seed(pool, "one");
  await seed(pool, "two");
  const counts = (await pool.query("SELECT evaluation_id, x, y, n FROM pair_counts ORDER BY 1, 2, 3")).rows;
  for (const m of migrations.filter((m) => m.version >= 15)) await pool.query(`BEGIN; ${m.sql}; COMMIT`);
  const wrong = await pool.query(
    `SELECT count(*)::int AS n FROM judgments j
      WHERE j.participant_number IS DISTINCT FROM (SELECT number FROM participants WHERE id = j.participant_id)
         OR j.subject_a_number IS DISTINCT FROM (SELECT number FROM subjects WHERE id = j.subject_a)
         OR j.subject_b_number IS DISTINCT FROM (SELECT number FROM subjects WHERE id = j.subject_b)
         OR j.item_number IS DISTINCT FROM (SELECT number FROM items WHERE id = j.item_id)`,
  );
  assert.equal(wrong.rows[0]?.n, 0);
  assert.deepEqual((await pool.query("SELECT evaluation_id, x, y, n FROM pair_counts ORDER BY 1, 2, 3")).rows, counts);
  const enabled = await pool.query("SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'judgments'::regclass AND NOT tgisinternal ORDER BY 1");
  assert.ok(enabled.rows.every((r: { tgenabled: string }) => r.tgenabled === "O"), JSON.stringify(enabled.rows));
  const snapshot = await readJudgmentSnapshot(pool, e1.id);
  assert.equal(snapshot.size, 4);
});

test("a number written directly is replaced by the number of the row the judgment refers to", async () => {
  const db = await testDatabase();
  try {
    const { id, subjects } = await seed(db.pool, "direct");
    const numbers = (await db.pool.query<{ id: string; number: number }>("SELECT id, number FROM subjects WHERE evaluation_id = $1", [id])).rows;
    const numberOf = new Map(numbers.map((r) => [r.id, r.number]));
    // every judgment told its subject a is C, while subject_a still names A or B
    await db.pool.query("UPDATE judgments SET subject_a_number = $2, is_current = is_current WHERE evaluation_id = $1", [id, numberOf.get(subjects[2] as string)]);
    const stale = await db.pool.query("SELECT count(*)::int AS n FROM judgments j JOIN subjects s ON s.id = j.subject_a WHERE j.evaluation_id = $1 AND s.number <> j.subject_a_number", [id]);
    assert.equal(stale.rows[0]?.n, 0);
  } finally {
    await db.close();
  }
});

test("a judgment referring to a subject of another evaluation is refused when written, and the results still read", async () => {
  const db = await testDatabase();
  try {
    const one = await seed(db.pool, "one");
    const two = await seed(db.pool, "two");
    await assert.rejects(
      db.pool.query(
        `INSERT INTO judgments (evaluation_id, participant_id, item_id, kind, body, subject_a, subject_b, outcome, charter_version, consent_scopes)
         VALUES ($1, $2, NULL, 'pairwise', '{"kind":"pairwise","outcome":"a"}', $3, $4, 'a', 1, '{aggregate}')`,
        [one.id, one.people[0], one.subjects[0], two.subjects[1]],
      ),
      (error: { code?: string }) => error.code === "23503",
    );
    await assert.rejects(db.pool.query("UPDATE judgments SET participant_id = $2 WHERE evaluation_id = $1", [one.id, two.people[0]]), (error: { code?: string }) => error.code === "23503");
    assert.equal((await readJudgmentSnapshot(db.pool, one.id)).size, 4);
  } finally {
    await db.close();
  }
});
