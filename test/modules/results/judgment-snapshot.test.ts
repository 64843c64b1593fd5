/**
 * The judgment snapshot (one scan, aggregates in typed arrays) against the SQL statements it replaced
 * (test/support/results-sql-oracle.ts), on an evaluation made to hit every case the definitions distinguish:
 * every kind, revisions and duplicates set aside (both boards), votes set aside for an identity leak or another
 * reason, participants without consent or without a consent row, without communities or with repeated ones,
 * items without a slice or with repeated tags, pairwise votes without responses, subjects whose names sort
 * differently from their ids, and rows stored out of seq order.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { SLICE_DIMENSIONS } from "../../../src/analytics/results/slices.ts";
import { collapseCounted } from "../../../src/analytics/results/pairs.ts";
import { JUDGMENT_KINDS, PAIRWISE_OUTCOMES, type PairwiseOutcome } from "../../../src/core/judgment.ts";
import { canonicalJson } from "../../../src/core/canonical-json.ts";
import { BOARDS, type Board } from "../../../src/core/charter.ts";
import { NO_OUTCOME, readJudgmentSnapshot, type JudgmentSnapshot } from "../../../src/modules/results/judgment-snapshot.ts";
import * as t from "../../../src/modules/results/snapshot-tallies.ts";
import * as bySlice from "../../../src/modules/results/snapshot-slices.ts";
import type { Pool } from "../../../src/platform/db/pool.ts";
import * as oracle from "../../support/results-sql-oracle.ts";
import { testDatabase } from "../../support/db.ts";

let db: Awaited<ReturnType<typeof testDatabase>>;
let evaluationId = "";
let snapshot: JudgmentSnapshot;
let names = new Map<string, string>();

/** A small deterministic generator (the data must be the same on every run). */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { next, pick: <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T };
}

const SUBJECT_NAMES = ["Zeta", "alpha", "Beta", "émile", "gamma-2", "Δelta", "b"];
const SCENARIOS: unknown[] = [
  { useCase: " Coding ", language: "EN", tags: ["x", "y"] },
  { language: " en ", tags: ["x", "x"] },
  { useCase: "coding", tags: [] },
  { tags: [null, " ", "z"] },
  { useCase: "", language: "fr" },
  null,
  { tags: "not a list", useCase: 5 },
  { useCase: "Writing", language: "FR", tags: ["y"] },
];
const COMMUNITIES = [[], ["c1"], ["c1", "c2"], ["c2", "c2"], ["c3"]];

async function seed(pool: Pool): Promise<string> {
  const rng = generator(7);
  const id = (await pool.query<{ id: string }>("INSERT INTO evaluations (slug, title) VALUES ('snapshot', 'Snapshot') RETURNING id")).rows[0]?.id as string;
  const subjects: string[] = [];
  for (const name of SUBJECT_NAMES) subjects.push((await pool.query<{ id: string }>("INSERT INTO subjects (evaluation_id, name, kind) VALUES ($1, $2, 'model') RETURNING id", [id, name])).rows[0]?.id as string);
  const items: string[] = [];
  const responses = new Map<string, string>();
  for (let i = 0; i < 12; i++) {
    const item = (await pool.query<{ id: string }>("INSERT INTO items (evaluation_id, external_ref, prompt, scenario) VALUES ($1, $2, 'p', $3) RETURNING id", [id, `i${i}`, JSON.stringify(SCENARIOS[i % SCENARIOS.length])])).rows[0]?.id as string;
    items.push(item);
    for (const subject of subjects) {
      const response = (await pool.query<{ id: string }>("INSERT INTO responses (evaluation_id, item_id, subject_id, text) VALUES ($1, $2, $3, 'r') RETURNING id", [id, item, subject])).rows[0]?.id as string;
      responses.set(`${item}|${subject}`, response);
    }
  }
  const people: string[] = [];
  for (let p = 0; p < 30; p++) {
    const person = (await pool.query<{ id: string }>("INSERT INTO participants (evaluation_id, pseudonym, communities) VALUES ($1, $2, $3) RETURNING id", [id, `p${p}`, rng.pick(COMMUNITIES)])).rows[0]?.id as string;
    people.push(person);
    const consent = rng.next();
    if (consent < 0.85) await pool.query("INSERT INTO consents (participant_id, evaluation_id, charter_version, scopes) VALUES ($1, $2, 1, $3)", [person, id, consent < 0.7 ? ["aggregate", "research"] : ["research"]]);
  }
  // seqs handed out in a shuffled order, so that the table's order is not the order of the votes
  const seqs = Array.from({ length: 2400 }, (_, k) => 1_000_000 + k * 3);
  for (let k = seqs.length - 1; k > 0; k--) {
    const j = Math.floor(rng.next() * (k + 1));
    [seqs[k], seqs[j]] = [seqs[j] as number, seqs[k] as number];
  }
  let nextSeq = 0;
  const insert = async (row: { who: string; item: string | null; kind: string; a?: string | null; b?: string | null; outcome?: string | null; responses: string[]; body: unknown; excluded?: string | null; revises?: string | null; current?: boolean }) =>
    (
      await pool.query<{ id: string }>(
        `INSERT INTO judgments (seq, evaluation_id, participant_id, item_id, kind, body, subject_a, subject_b, outcome, response_ids, charter_version, consent_scopes, excluded_reason, revises, is_current)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, '{aggregate}', $11, $12, $13) RETURNING id`,
        [seqs[nextSeq++], id, row.who, row.item, row.kind, JSON.stringify(row.body), row.a ?? null, row.b ?? null, row.outcome ?? null, row.responses, row.excluded ?? null, row.revises ?? null, row.current ?? true],
      )
    ).rows[0]?.id as string;
  const revised = new Set<string>();
  for (let k = 0; k < 1500; k++) {
    const who = rng.pick(people);
    const item = rng.next() < 0.04 ? null : rng.pick(items);
    const x = rng.pick(subjects);
    const y = rng.pick(subjects.filter((s) => s !== x));
    const shown = item ? [responses.get(`${item}|${x}`) as string, responses.get(`${item}|${y}`) as string] : [];
    const excluded = rng.next() < 0.05 ? "identity_leak" : rng.next() < 0.02 ? "set_aside_for_test" : null;
    const draw = rng.next();
    if (draw < 0.8) {
      const outcome = rng.pick(["a", "b", "a", "b", "tie", "both_bad"]);
      const imported = rng.next() < 0.05;
      const first = await insert({ who, item, kind: "pairwise", a: x, b: y, outcome, responses: imported ? [] : shown, body: { kind: "pairwise", outcome }, excluded });
      const fate = rng.next();
      // one current revision per person, item and pair (a unique index)
      const pair = [who, item, ...[x, y].sort()].join("|");
      if (fate < 0.1 && !revised.has(pair)) {
        revised.add(pair);
        await pool.query("UPDATE judgments SET is_current = false WHERE id = $1", [first]);
        const outcome = rng.pick(["a", "b", "tie"]);
        await insert({ who, item, kind: "pairwise", a: x, b: y, outcome, responses: shown, body: { kind: "pairwise", outcome }, excluded, revises: first });
      } else if (fate < 0.13) await pool.query("UPDATE judgments SET is_current = false WHERE id = $1", [first]);
    } else if (draw < 0.87) await insert({ who, item, kind: "abstention", responses: shown, body: { kind: "abstention", reason: "unclear" }, excluded });
    else if (draw < 0.92) await insert({ who, item, kind: "contest", responses: shown, body: { kind: "contest", reason: "biased" }, excluded });
    else if (draw < 0.97 && item) await insert({ who, item, kind: "rating", responses: [shown[0] as string], body: { kind: "rating", scores: { helpful: Math.floor(rng.next() * 5) + 1 } }, excluded });
    else if (item) await insert({ who, item, kind: "ranking", responses: shown, body: { kind: "ranking", order: [[shown[1]], [shown[0]]] }, excluded });
  }
  await pool.query("ANALYZE judgments");
  return id;
}

before(async () => {
  db = await testDatabase();
  evaluationId = await seed(db.pool);
  names = new Map((await db.pool.query<{ id: string; name: string }>("SELECT id, name FROM subjects WHERE evaluation_id = $1", [evaluationId])).rows.map((r) => [r.id, r.name]));
  snapshot = await readJudgmentSnapshot(db.pool, evaluationId);
});
after(async () => db.close());

const sortedJson = (rows: readonly unknown[]) => rows.map((row) => canonicalJson(row)).sort();

test("the snapshot holds every current judgment and every first version revised since, in the order they were made", async () => {
  const { rows } = await db.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM judgments j WHERE j.evaluation_id = $1 AND (j.is_current OR (j.revises IS NULL AND j.id IN (SELECT revises FROM judgments WHERE revises IS NOT NULL)))",
    [evaluationId],
  );
  assert.equal(snapshot.size, rows[0]?.n);
  assert.ok(snapshot.size > 1400);
  // the people's rows, grouped, are every row once
  assert.deepEqual([...snapshot.byPerson].sort((x, y) => x - y), Array.from({ length: snapshot.size }, (_, k) => k));
});

test("the code PostgreSQL stores with each judgment numbers kinds and outcomes as the lists in core/judgment.ts do", async () => {
  const { rows } = await db.pool.query<{ kind: string; outcome: string | null; code: number }>("SELECT DISTINCT kind, outcome, snapshot_code AS code FROM judgments WHERE evaluation_id = $1", [evaluationId]);
  assert.deepEqual(new Set(rows.map((r) => r.kind)), new Set(JUDGMENT_KINDS), "the data holds every kind");
  assert.deepEqual(new Set(rows.flatMap((r) => (r.outcome ? [r.outcome] : []))), new Set(PAIRWISE_OUTCOMES), "and every outcome");
  for (const r of rows) {
    assert.equal(r.code >> 16, JUDGMENT_KINDS.indexOf(r.kind as (typeof JUDGMENT_KINDS)[number]), r.kind);
    assert.equal((r.code >> 8) & 255, r.outcome === null ? NO_OUTCOME : PAIRWISE_OUTCOMES.indexOf(r.outcome as PairwiseOutcome), String(r.outcome));
  }
});

test("per-person tallies, pair counts on both boards and per community equal the SQL aggregates", async () => {
  assert.deepEqual(sortedJson(t.judgmentTallies(snapshot)), sortedJson(await oracle.judgmentTallies(db.pool, evaluationId)));
  for (const board of BOARDS) assert.deepEqual(sortedJson(t.countedPairs(snapshot, board)), sortedJson(await oracle.countedPairs(db.pool, evaluationId, board)), board);
  assert.deepEqual(sortedJson(t.countedPairsByCommunity(snapshot)), sortedJson(await oracle.countedPairsByCommunity(db.pool, evaluationId)));
  const tallies = t.judgmentTallies(snapshot);
  assert.deepEqual(sortedJson(t.communitySizes(snapshot, tallies)), sortedJson(await oracle.communitySizes(db.pool, evaluationId, tallies)));
  // the case is not trivial: the boards differ, some judgments are left out for each reason
  assert.notDeepEqual(sortedJson(t.countedPairs(snapshot, "blind")), sortedJson(t.countedPairs(snapshot, "revised")));
  const reasons = new Set(t.judgmentTallies(snapshot).map((r) => r.reason));
  for (const reason of ["consent_lacks_aggregate", "identity_leak", "set_aside_for_test", null]) assert.ok(reasons.has(reason), String(reason));
});

test("the counters' collapsed rows over another numbering equal collapseCounted of their id rows", () => {
  // number the subjects by name, leaving one out
  const ordered = [...snapshot.subjectIds].sort((x, y) => ((names.get(x) ?? "") < (names.get(y) ?? "") ? -1 : 1)).slice(1);
  const index = new Map(ordered.map((id, i) => [id, i]));
  const position = Int32Array.from(snapshot.subjectIds, (id) => index.get(id) ?? -1);
  const expected = (rows: readonly { subject_a: string; subject_b: string; outcome: PairwiseOutcome; n: number }[]) =>
    collapseCounted(rows.map((r) => ({ a: index.get(r.subject_a) ?? -1, b: index.get(r.subject_b) ?? -1, outcome: r.outcome, count: r.n })).filter((r) => r.a >= 0 && r.b >= 0)).sort((x, y) => x.a - y.a || x.b - y.b);
  for (const board of BOARDS) assert.deepEqual(t.pairCounter(snapshot, board).collapsed(position), expected(t.countedPairs(snapshot, board)));
  for (const [community, counter] of t.pairCountersByCommunity(snapshot)) {
    assert.deepEqual(counter.collapsed(position), expected(t.countedPairsByCommunity(snapshot).filter((r) => r.community === community)), community);
  }
  const slices = bySlice.countedPairsBySlice(snapshot, "tag", "revised");
  for (const { key, counter } of bySlice.sliceCounters(snapshot, "tag", "revised")) assert.deepEqual(counter.collapsed(position), expected(slices.pairs.filter((r) => r.slice === key)), String(key));
});

test("community sizes come from the snapshot's own membership: a community joined after the read gates nothing", async () => {
  const tallies = t.judgmentTallies(snapshot);
  const before = t.communitySizes(snapshot, tallies);
  const someone = snapshot.participants.ids.find((id) => tallies.some((tally) => tally.participant_id === id && tally.reason === null)) as string;
  await db.pool.query("UPDATE participants SET communities = array_append(communities, 'joined-later') WHERE id = $1", [someone]);
  try {
    assert.deepEqual(sortedJson(t.communitySizes(snapshot, tallies)), sortedJson(before));
    assert.ok(!before.some((size) => size.community === "joined-later"));
    const fresh = await readJudgmentSnapshot(db.pool, evaluationId);
    assert.equal(t.communitySizes(fresh, t.judgmentTallies(fresh)).find((size) => size.community === "joined-later")?.participants, 1);
  } finally {
    await db.pool.query("UPDATE participants SET communities = array_remove(communities, 'joined-later') WHERE id = $1", [someone]);
  }
});

test("ratings, rating units and rankings are the snapshot's own: a consent revoked after the read changes neither them nor the people its gates count", async () => {
  const raters = (of: JudgmentSnapshot) => new Set(of.ratings.map((r) => r.participant_id));
  const rankers = (of: JudgmentSnapshot) => new Set(of.rankings.revised.map((r) => r.participant_id));
  const counted = (of: JudgmentSnapshot, kind: string) => new Set(t.judgmentTallies(of).filter((x) => x.kind === kind && x.reason === null).map((x) => x.participant_id));
  // the figures come from the very people the tallies (the k gates) count
  assert.ok(raters(snapshot).size > 0 && rankers(snapshot).size > 0);
  assert.deepEqual(raters(snapshot), counted(snapshot, "rating"));
  assert.deepEqual(rankers(snapshot), counted(snapshot, "ranking"));
  const rater = [...raters(snapshot)][0] as string;
  const scopes = (await db.pool.query<{ scopes: string[] }>("SELECT scopes FROM consents WHERE participant_id = $1", [rater])).rows[0]?.scopes;
  await db.pool.query("UPDATE consents SET scopes = '{research}' WHERE participant_id = $1", [rater]);
  try {
    assert.ok(raters(snapshot).has(rater), "the snapshot read before the revocation keeps its rater");
    assert.deepEqual(raters(snapshot), counted(snapshot, "rating"));
    const fresh = await readJudgmentSnapshot(db.pool, evaluationId);
    assert.ok(!raters(fresh).has(rater), "a snapshot read after it has none of their ratings");
    assert.deepEqual(raters(fresh), counted(fresh, "rating"));
  } finally {
    await db.pool.query("UPDATE consents SET scopes = $2 WHERE participant_id = $1", [rater, scopes]);
  }
});

test("Elo's sequence and the individual votes come in the order the votes were made, as SQL's ORDER BY seq", async () => {
  for (const board of BOARDS) {
    const subjectIds = [...names.keys()].sort((x, y) => ((names.get(x) ?? "") < (names.get(y) ?? "") ? -1 : 1));
    const expected = await oracle.packedPairSequence(db.pool, evaluationId, subjectIds, board);
    const actual = t.pairSequence(snapshot, board, subjectIds);
    assert.deepEqual([...actual.a], [...expected.a], board);
    assert.deepEqual([...actual.b], [...expected.b], board);
    assert.deepEqual([...actual.scoreA], [...expected.scoreA], board);
    assert.deepEqual(t.individualVotes(snapshot, board), await oracle.individualVotes(db.pool, evaluationId, board as Board), board);
  }
});

test("dissent shares per item and per subject, with the distinct people behind each figure, equal the SQL aggregates", async () => {
  const normal = (rows: readonly { key: string }[]) => [...rows].sort((x, y) => (x.key < y.key ? -1 : 1));
  assert.deepEqual(normal(t.sharesByItem(snapshot)), normal(await oracle.sharesByItem(db.pool, evaluationId)));
  assert.deepEqual(normal(t.sharesBySubject(snapshot)), normal(await oracle.sharesBySubject(db.pool, evaluationId)));
  assert.ok(t.sharesBySubject(snapshot).some((row) => row.abstention > 0 && row.contest > 0));
});

test("agreement units, oriented by the subjects' names in byte order, equal the SQL grouping", async () => {
  const byName = [...snapshot.subjectIds.keys()].sort((x, y) => Buffer.compare(Buffer.from(names.get(snapshot.subjectIds[x] ?? "") ?? ""), Buffer.from(names.get(snapshot.subjectIds[y] ?? "") ?? "")));
  const rank = new Int32Array(byName.length);
  byName.forEach((subject, position) => (rank[subject] = position));
  const units = t.pairwiseUnits(snapshot, rank);
  const expected = (await oracle.pairwiseUnits(db.pool, evaluationId)).map((unit) => unit.outcomes);
  const normal = (list: readonly (readonly string[])[]) => list.map((outcomes) => [...outcomes].sort().join(",")).sort();
  assert.deepEqual(normal(units), normal(expected));
  assert.ok(units.length > 5);
});

test("slices of every dimension on both boards, with their contributors, and identity-leak counts equal the SQL", async () => {
  const normalPairs = (rows: readonly unknown[]) => sortedJson(rows);
  for (const dimension of SLICE_DIMENSIONS) {
    for (const board of BOARDS) {
      const actual = bySlice.countedPairsBySlice(snapshot, dimension, board);
      const expected = await oracle.countedPairsBySlice(db.pool, evaluationId, dimension, board);
      assert.deepEqual(normalPairs(actual.pairs), normalPairs(expected.pairs), `${dimension} ${board}`);
      assert.deepEqual(sortedJson(actual.people), sortedJson(expected.people), `${dimension} ${board}`);
    }
  }
  assert.ok(bySlice.countedPairsBySlice(snapshot, "tag", "revised").people.length >= 4);
  assert.deepEqual(sortedJson(t.identityLeakVotes(snapshot)), sortedJson(await oracle.identityLeakVotes(db.pool, evaluationId)));
});
