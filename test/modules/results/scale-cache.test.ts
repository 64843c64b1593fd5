import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { runRules } from "../../../src/analytics/results/run.ts";
import { computedOpinion, opinionComputations, opinionMapFor } from "../../../src/modules/deliberation/opinion-service.ts";
import { insertItem, insertResponse } from "../../../src/modules/evaluations/item-queries.ts";
import { insertSubject } from "../../../src/modules/evaluations/subject-queries.ts";
import { pairSequence } from "../../support/results-sql-oracle.ts";
import { computeResults, resultsComputations } from "../../../src/modules/results/service.ts";
import { requireEvaluation, NOBODY } from "../../../src/platform/guards.ts";
import { Client, signUp, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
let organiser: Client;
before(async () => {
  server = await startTestServer();
  organiser = await signUp(server.baseUrl);
});
after(async () => server.close());

const ITEMS = 6;
const SUBJECTS = ["gpt-4o", "Claude 3", "model-c", "model-d"];
const rows = Array.from({ length: ITEMS }, (_, i) =>
  SUBJECTS.map((subject, s) => ({ item: `q${i}`, subject, response: s === 0 && i === 2 ? "As ChatGPT, I think so." : `Answer ${i}.${s}, "quoted", with a, comma` })),
).flat();

async function evaluation(slug: string): Promise<string> {
  const res = await organiser.post("/api/evaluations", { slug, title: slug, charter: { purpose: "scale", sponsor: "tests" } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await server.pool.query("UPDATE evaluations SET status = 'open' WHERE slug = $1", [slug]);
  return (await server.pool.query<{ id: string }>("SELECT id FROM evaluations WHERE slug = $1", [slug])).rows[0]?.id as string;
}

/** The same judgments in any evaluation holding these subjects and items: 12 participants, one without consent. */
async function judge(evaluationId: string): Promise<void> {
  await server.pool.query(
    `INSERT INTO participants (evaluation_id, pseudonym, communities) SELECT $1, 'p' || g, ARRAY['c' || (g % 2)] FROM generate_series(1, 12) g`,
    [evaluationId],
  );
  await server.pool.query(
    `INSERT INTO consents (participant_id, evaluation_id, charter_version, scopes)
     SELECT id, evaluation_id, 1, CASE WHEN pseudonym = 'p7' THEN '{}'::text[] ELSE '{aggregate}'::text[] END FROM participants WHERE evaluation_id = $1 AND pseudonym LIKE 'p%'`,
    [evaluationId],
  );
  await server.pool.query(
    `WITH r AS (SELECT i.external_ref AS item, s.name AS subject, r.id, i.id AS item_id, s.id AS subject_id
                  FROM responses r JOIN items i ON i.id = r.item_id JOIN subjects s ON s.id = r.subject_id WHERE r.evaluation_id = $1)
     INSERT INTO judgments (evaluation_id, participant_id, item_id, kind, body, subject_a, subject_b, outcome, response_ids, charter_version, consent_scopes)
     SELECT $1, p.id, ra.item_id, 'pairwise', jsonb_build_object('kind', 'pairwise', 'outcome', o), ra.subject_id, rb.subject_id, o, ARRAY[ra.id, rb.id], 1, '{aggregate}'
       FROM generate_series(1, 300) g
       JOIN participants p ON p.evaluation_id = $1 AND p.pseudonym = 'p' || (1 + g % 12)
       JOIN r ra ON ra.item = 'q' || (g % ${ITEMS}) AND ra.subject = ($2::text[])[1 + g % 4]
       JOIN r rb ON rb.item = ra.item AND rb.subject = ($2::text[])[1 + (g / 4 + g) % 4]
       CROSS JOIN LATERAL (SELECT (ARRAY['a', 'b', 'a', 'tie', 'both_bad', 'a', 'b'])[1 + (g * 7) % 7] AS o) x
      WHERE ra.subject <> rb.subject
      ORDER BY g`,
    [evaluationId, SUBJECTS],
  );
}

/**
 * Results without what names the evaluation, items by reference rather than id, and without Krippendorff's
 * α: it orients each (item, pair) unit by the order of the two subjects' ids, which differ between two
 * evaluations (the unit count is compared).
 */
async function comparable(results: Awaited<ReturnType<typeof computeResults>>) {
  const refs = new Map((await server.pool.query<{ id: string; external_ref: string }>("SELECT id, external_ref FROM items")).rows.map((r) => [r.id, r.external_ref]));
  const byItem = results.dissent.byItem.map((row) => ({ ...row, key: refs.get(row.key) ?? row.key })).sort((x, y) => x.key.localeCompare(y.key));
  const bySubject = [...results.dissent.bySubject].sort((x, y) => x.key.localeCompare(y.key));
  return { ...results, evaluation: null, agreement: { ...results.agreement, alpha: null }, dissent: { ...results.dissent, byItem, bySubject } };
}

test("results over bulk-uploaded responses equal results over the same data inserted row by row", async () => {
  const bulkId = await evaluation("bulk");
  const csv = ["item,subject,response", ...rows.map((r) => [r.item, r.subject, `"${r.response.replaceAll('"', '""')}"`].join(","))].join("\n");
  const res = await organiser.post<{ items: number; subjects: number; responses: number }>("/api/evaluations/bulk/imports", { format: "outputs-csv", content: csv });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.deepEqual([res.body.items, res.body.subjects, res.body.responses], [ITEMS, SUBJECTS.length, rows.length]);
  // Uploading again changes nothing: items, subjects and responses are reused.
  const again = await organiser.post<{ responses: number }>("/api/evaluations/bulk/imports", { format: "outputs-csv", content: csv });
  assert.equal(again.body.responses, rows.length);

  const rowId = await evaluation("row-by-row");
  const itemIds = new Map<string, string>();
  const subjectIds = new Map<string, string>();
  for (const r of rows) {
    if (!itemIds.has(r.item)) itemIds.set(r.item, (await insertItem(server.pool, rowId, { externalRef: r.item, prompt: r.item })).id);
    if (!subjectIds.has(r.subject)) subjectIds.set(r.subject, (await insertSubject(server.pool, rowId, { name: r.subject, kind: "model" })).id);
    const leak = r.response.startsWith("As ChatGPT") ? ["ChatGPT"] : null;
    await insertResponse(server.pool, rowId, { itemId: itemIds.get(r.item) as string, subjectId: subjectIds.get(r.subject) as string, text: r.response, meta: {}, identityLeak: leak });
  }
  const stored = async (id: string) =>
    (
      await server.pool.query(
        `SELECT i.external_ref, i.prompt, s.name, r.text, r.meta, r.identity_leak FROM responses r JOIN items i ON i.id = r.item_id JOIN subjects s ON s.id = r.subject_id
          WHERE r.evaluation_id = $1 ORDER BY 1, 3`,
        [id],
      )
    ).rows;
  assert.deepEqual(await stored(bulkId), await stored(rowId), "the same items, subjects and responses, identity leak marked alike");
  assert.equal((await stored(bulkId)).filter((r) => r.identity_leak !== null).length, 1, "the response naming its maker is marked");

  await judge(bulkId);
  await judge(rowId);
  const bulk = await computeResults({ pool: server.pool }, NOBODY, "bulk", { rounds: 50, by: "community" });
  const rowByRow = await computeResults({ pool: server.pool }, NOBODY, "row-by-row", { rounds: 50, by: "community" });
  assert.ok(bulk.rules.length === 6 && (bulk.rules[0]?.used ?? 0) > 200);
  assert.deepEqual(await comparable(bulk), await comparable(rowByRow));

  // Elo's order read packed from SQL is the order of the rows it replaced.
  const names = new Map((await server.pool.query<{ id: string; name: string }>("SELECT id, name FROM subjects WHERE evaluation_id = $1", [bulkId])).rows.map((r) => [r.id, r.name]));
  const subjects = bulk.matrices.subjects;
  const comparisons = (await pairSequence(server.pool, bulkId)).map((r) => ({
    a: subjects.indexOf(names.get(r.subject_a) ?? ""),
    b: subjects.indexOf(names.get(r.subject_b) ?? ""),
    outcome: r.outcome,
  }));
  const [fromRows] = runRules({ subjects, pairs: [], comparisons }, { rules: ["elo"], seed: 0 });
  assert.deepEqual(bulk.rules.find((r) => r.rule === "elo")?.subjects, fromRows?.subjects);
});

test("cached results are served while nothing changed and recomputed after a judgment, a revision, a consent change", async () => {
  const id = (await server.pool.query<{ id: string }>("SELECT id FROM evaluations WHERE slug = 'bulk'")).rows[0]?.id as string;
  const s = { pool: server.pool };
  const first = await computeResults(s, NOBODY, "bulk", { rounds: 20 });
  const computed = resultsComputations.count;
  assert.equal(await computeResults(s, NOBODY, "bulk", { rounds: 20 }), first, "the same object: not recomputed");
  const viaHttp = await organiser.get<{ rules: { rule: string; used: number }[] }>("/api/evaluations/bulk/results?rounds=20");
  assert.equal(viaHttp.status, 200);
  assert.equal(resultsComputations.count, computed, "nothing changed, nothing recomputed");
  const used = (r: { rules: readonly { rule: string; used: number }[] }) => r.rules.find((x) => x.rule === "bt")?.used;

  await server.pool.query(
    `INSERT INTO judgments (evaluation_id, participant_id, item_id, kind, body, subject_a, subject_b, outcome, charter_version, consent_scopes)
     SELECT $1, p.id, NULL, 'pairwise', '{"kind":"pairwise","outcome":"a"}', (SELECT id FROM subjects WHERE evaluation_id = $1 AND name = 'model-c'),
            (SELECT id FROM subjects WHERE evaluation_id = $1 AND name = 'model-d'), 'a', 1, '{aggregate}'
       FROM participants p WHERE p.evaluation_id = $1 AND p.pseudonym = 'p1'`,
    [id],
  );
  const afterJudgment = await computeResults(s, NOBODY, "bulk", { rounds: 20 });
  assert.notEqual(afterJudgment, first);
  assert.equal(resultsComputations.count, computed + 1);
  assert.equal(used(afterJudgment), (used(first) ?? 0) + 1, "the new judgment is counted");
  assert.equal(await computeResults(s, NOBODY, "bulk", { rounds: 20 }), afterJudgment);

  await server.pool.query("UPDATE judgments SET excluded_reason = 'identity_leak' WHERE seq = (SELECT max(seq) FROM judgments WHERE evaluation_id = $1)", [id]);
  const afterExclusion = await computeResults(s, NOBODY, "bulk", { rounds: 20 });
  assert.equal(used(afterExclusion), used(first), "an exclusion recorded on a judgment is a change");

  await server.pool.query("UPDATE consents SET scopes = '{}' WHERE participant_id = (SELECT id FROM participants WHERE evaluation_id = $1 AND pseudonym = 'p1')", [id]);
  const afterRevocation = await computeResults(s, NOBODY, "bulk", { rounds: 20 });
  assert.ok((used(afterRevocation) ?? 0) < (used(first) ?? 0), "a revoked consent is a change");
  assert.equal(resultsComputations.count, computed + 3);

  // Another evaluation's change leaves this one's cache alone.
  await server.pool.query("INSERT INTO participants (evaluation_id, pseudonym) SELECT id, 'late' FROM evaluations WHERE slug = 'row-by-row'");
  assert.equal(await computeResults(s, NOBODY, "bulk", { rounds: 20 }), afterRevocation);
});

test("the opinion map is computed once per change of the votes, and shared with statement routing", async () => {
  const id = (await server.pool.query<{ id: string }>("SELECT id FROM evaluations WHERE slug = 'row-by-row'")).rows[0]?.id as string;
  await server.pool.query(`INSERT INTO statements (evaluation_id, text, author_role, moderation) SELECT $1, 'Statement ' || g, 'organiser', 'accepted' FROM generate_series(1, 6) g`, [id]);
  await server.pool.query(
    `INSERT INTO statement_votes (evaluation_id, statement_id, participant_id, vote, phase)
     SELECT $1, s.id, p.id, CASE WHEN (hashtext(p.pseudonym) + s.seq) % 3 = 0 THEN 'disagree' WHEN p.pseudonym < 'p5' THEN 'agree' ELSE 'disagree' END, 'deliberate'
       FROM participants p CROSS JOIN statements s WHERE p.evaluation_id = $1 AND s.evaluation_id = $1 AND p.pseudonym LIKE 'p%'`,
    [id],
  );
  const s = { pool: server.pool };
  const evaluation = await requireEvaluation(server.pool, id);
  const before = opinionComputations.count;
  const map = await opinionMapFor(s, NOBODY, "row-by-row");
  assert.equal(opinionComputations.count, before + 1);
  assert.deepEqual(await opinionMapFor(s, NOBODY, "row-by-row"), map);
  const shared = await computedOpinion(s, evaluation);
  assert.equal(await computedOpinion(s, evaluation), shared, "the same object for the map and for routing");
  assert.equal(opinionComputations.count, before + 1, "not recomputed while the votes are unchanged");

  await server.pool.query(
    `UPDATE statement_votes SET vote = 'agree' WHERE id = (SELECT min(id) FROM statement_votes WHERE evaluation_id = $1 AND vote = 'disagree')`,
    [id],
  );
  const changed = await computedOpinion(s, evaluation);
  assert.notEqual(changed, shared, "the data are read again");
  assert.equal(opinionComputations.count, before + 1, "a changed vote alone (no new vote) does not update the stored map");
  assert.equal(changed.update?.version, shared.update?.version);
  await server.pool.query("UPDATE statements SET moderation = 'rejected' WHERE evaluation_id = $1 AND text = 'Statement 1'", [id]);
  const moderated = await computedOpinion(s, evaluation);
  assert.equal(moderated.stored.conversation.statements.filter((st) => st.moderatedOut).length, 1, "a moderation decision updates the map at once");
  assert.equal(opinionComputations.count, before + 2);
  assert.equal(moderated.update?.version, (shared.update?.version ?? 0) + 1);
  await opinionMapFor(s, NOBODY, "row-by-row");
  assert.equal(opinionComputations.count, before + 2);
});
