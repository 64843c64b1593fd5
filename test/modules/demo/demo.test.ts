import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { opinionMapFor } from "../../../src/modules/deliberation/opinion-service.ts";
import { ensureDemo } from "../../../src/modules/demo/service.ts";
import { NOBODY } from "../../../src/platform/guards.ts";
import { testDatabase } from "../../support/db.ts";

let db: Awaited<ReturnType<typeof testDatabase>>;
before(async () => {
  db = await testDatabase();
});
after(async () => db.close());

test("the demo evaluation holds the real LLMFAO material, and building it twice changes nothing", async () => {
  const first = await ensureDemo({ pool: db.pool });
  assert.ok(first);
  // 124 crowd workers and the demo's one sample participant (who made the sample proposal, demand and report)
  assert.deepEqual(first.counts, { items: 19, subjects: 70, responses: 1133, judgments: 8931, participants: 125 });
  const second = await ensureDemo({ pool: db.pool });
  assert.deepEqual(second?.counts, first.counts);
  const { rows } = await db.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM consents WHERE 'aggregate' = ANY(scopes) AND evaluation_id = (SELECT id FROM evaluations WHERE slug = 'llmfao')",
  );
  assert.equal(rows[0]?.n, 125, "every imported worker's consent is recorded, and the sample participant's");
  const ties = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM judgments WHERE outcome = 'tie'");
  const csvTies = readFileSync(new URL("../../../data/demo/llmfao/crowd-comparisons.csv", import.meta.url), "utf8").split("\n").filter((line) => line.split(",")[5] === "tie").length;
  assert.equal(ties.rows[0]?.n, csvTies, "every tie in the crowd file is a tie here");
  const statements = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM statements WHERE moderation = 'accepted' AND author_role = 'organiser'");
  assert.equal(statements.rows[0]?.n, 6, "the organiser's opening statements, once");
});

test("the demo shows deliberation and governance: a real Polis conversation with its opinion map, and samples that say so", async () => {
  await ensureDemo({ pool: db.pool });
  const polis = await db.pool.query<{ statements: number; accepted: number; voters: number; votes: number }>(
    `SELECT (SELECT count(*)::int FROM statements st WHERE st.evaluation_id = e.id) AS statements,
            (SELECT count(*)::int FROM statements st WHERE st.evaluation_id = e.id AND st.moderation = 'accepted') AS accepted,
            (SELECT count(DISTINCT v.participant_id)::int FROM statement_votes v WHERE v.evaluation_id = e.id) AS voters,
            (SELECT count(*)::int FROM statement_votes v WHERE v.evaluation_id = e.id) AS votes
       FROM evaluations e WHERE e.slug = 'bg2050'`,
  );
  // Polis's own summary.csv for bg2050-volunteers: 371 comments, 126 voters; its moderators accepted 316 (comments.csv)
  assert.deepEqual({ statements: polis.rows[0]?.statements, accepted: polis.rows[0]?.accepted, voters: polis.rows[0]?.voters }, { statements: 371, accepted: 316, voters: 126 });
  assert.ok((polis.rows[0]?.votes ?? 0) > 1000);
  const map = await opinionMapFor({ pool: db.pool }, NOBODY, "bg2050");
  assert.equal(map.available, true, "the opinion map is there on first start");
  // (its groups are shown only when each holds k people, with complementary suppression: a k matter, not a data one)
  if (map.available) assert.ok(map.counts.participants >= 100 && map.groups.length >= 2, JSON.stringify(map.counts));
  const sponsor = await db.pool.query<{ sponsor: string }>("SELECT c.content->>'purpose' AS sponsor FROM charters c JOIN evaluations e ON e.id = c.evaluation_id WHERE e.slug = 'bg2050'");
  assert.match(sponsor.rows[0]?.sponsor ?? "", /CC BY 4\.0 with Attribution to The Computational Democracy Project/);
  const open = await db.pool.query<{ slug: string; open: boolean }>(
    "SELECT e.slug, (c.content->>'openParticipation')::boolean AS open FROM charters c JOIN evaluations e ON e.id = c.evaluation_id ORDER BY e.slug",
  );
  assert.deepEqual(open.rows, [{ slug: "bg2050", open: true }, { slug: "llmfao", open: true }], "a newcomer can take part in both demos from the home page");
  const samples = await db.pool.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM proposals WHERE title LIKE 'Sample proposal:%' AND description LIKE '%This is a sample%')
          + (SELECT count(*) FROM demands WHERE title LIKE 'Sample demand:%' AND text LIKE '%This is a sample%')
          + (SELECT count(*) FROM minority_reports WHERE title LIKE 'Sample minority report:%' AND text LIKE '%This is a sample%') AS n`,
  );
  assert.equal(Number(samples.rows[0]?.n), 3, "one sample of each, made once");
  const modes = await db.pool.query<{ mode: string }>(
    "SELECT COALESCE(d.statement_moderation, 'permissive') AS mode FROM evaluations e LEFT JOIN deliberation_settings d ON d.evaluation_id = e.id ORDER BY e.slug",
  );
  assert.deepEqual(modes.rows.map((r) => r.mode), ["permissive", "permissive"], "no statement waits for a moderator");
});

test("the demo's answers read cleanly: end-of-text tokens stripped (originals kept for export), items titled from their prompts", async () => {
  await ensureDemo({ pool: db.pool });
  const tokens = await db.pool.query<{ left: number; kept: number }>(
    `SELECT count(*) FILTER (WHERE text ~ '</s>\\s*$')::int AS left, count(*) FILTER (WHERE meta->>'originalText' ~ '</s>\\s*$')::int AS kept FROM responses`,
  );
  // 43 of LLMFAO's outputs end in </s> (counted in results.jsonl, test/core/response-text.test.ts)
  assert.deepEqual(tokens.rows[0], { left: 0, kept: 43 });
  const titles = await db.pool.query<{ title: string }>("SELECT i.title FROM items i JOIN evaluations e ON e.id = i.evaluation_id WHERE e.slug = 'llmfao'");
  assert.equal(titles.rows.length, 19);
  for (const { title } of titles.rows) assert.match(title, /^[A-Z][^\n]{8,}/, `a readable title, not a slug: ${title}`);
});
