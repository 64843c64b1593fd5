import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { ensureDemo } from "../../../src/modules/demo/service.ts";
import { testDatabase } from "../../support/db.ts";

let db: Awaited<ReturnType<typeof testDatabase>>;
before(async () => {
  db = await testDatabase();
});
after(async () => db.close());

test("the demo evaluation holds the real LLMFAO material, and building it twice changes nothing", async () => {
  const first = await ensureDemo({ pool: db.pool });
  assert.ok(first);
  assert.deepEqual(first.counts, { items: 19, subjects: 70, responses: 1133, judgments: 8931, participants: 124 });
  const second = await ensureDemo({ pool: db.pool });
  assert.deepEqual(second?.counts, first.counts);
  const { rows } = await db.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM consents WHERE 'aggregate' = ANY(scopes) AND evaluation_id = (SELECT id FROM evaluations WHERE slug = 'llmfao')",
  );
  assert.equal(rows[0]?.n, 124, "every imported worker's consent is recorded");
  const ties = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM judgments WHERE outcome = 'tie'");
  const csvTies = readFileSync(new URL("../../../data/demo/llmfao/crowd-comparisons.csv", import.meta.url), "utf8").split("\n").filter((line) => line.split(",")[5] === "tie").length;
  assert.equal(ties.rows[0]?.n, csvTies, "every tie in the crowd file is a tie here");
  const statements = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM statements WHERE moderation = 'accepted' AND author_role = 'organiser'");
  assert.equal(statements.rows[0]?.n, 6, "the organiser's opening statements, once");
});
