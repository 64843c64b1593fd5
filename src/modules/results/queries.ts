import type { Board } from "../../core/charter.ts";
import type { PairwiseOutcome } from "../../core/judgment.ts";
import { pushTo } from "../../core/multimap.ts";
import { participantMayUseSql } from "../../platform/consent-sql.ts";
import type { Queryable } from "../../platform/db/pool.ts";
import { dataVersion } from "../../platform/db/data-version.ts";

/**
 * Why a current judgment is left out of results, decided in SQL: no `aggregate` consent now, or a reason
 * recorded on the judgment (e.g. a response that revealed its subject's identity).
 */
const EXCLUSION = `CASE WHEN NOT ${participantMayUseSql("c.scopes", "'aggregate'")} THEN 'consent_lacks_aggregate'
                       ELSE j.excluded_reason END`;

/**
 * The same test as \`EXCLUSION IS NULL\` written as plain conditions, so that the planner estimates how many
 * rows pass (the CASE made it guess a handful out of a million, and choose sorts spilling to disk).
 */
export const COUNTED = `${participantMayUseSql("c.scopes", "'aggregate'")} AND j.excluded_reason IS NULL`;

/**
 * Which version of each judgment a board counts (`BOARDS` in core/charter.ts). The blind board counts first
 * versions that are still the current vote or were revised since; a first version superseded without a
 * revision (a duplicate set aside by migration 0011) counts on neither board.
 */
export const VERSION: Readonly<Record<Board, string>> = {
  revised: "j.is_current",
  blind: `j.revises IS NULL AND (j.is_current OR j.id IN (SELECT r.revises FROM judgments r WHERE r.evaluation_id = $1 AND r.revises IS NOT NULL))`,
};

const FROM_BOARD = (board: Board) => `FROM judgments j LEFT JOIN consents c ON c.participant_id = j.participant_id
                      WHERE j.evaluation_id = $1 AND ${VERSION[board]}`;
const FROM_CURRENT = FROM_BOARD("revised");

export interface PairCountRow {
  subject_a: string;
  subject_b: string;
  outcome: PairwiseOutcome;
  n: number;
}

export async function countedPairs(db: Queryable, evaluationId: string, board: Board = "revised"): Promise<PairCountRow[]> {
  const { rows } = await db.query<PairCountRow>(
    `SELECT j.subject_a, j.subject_b, j.outcome, count(*)::int AS n ${FROM_BOARD(board)} AND j.kind = 'pairwise' AND ${COUNTED}
      GROUP BY 1, 2, 3`,
    [evaluationId],
  );
  return rows;
}

export async function countedPairsByCommunity(db: Queryable, evaluationId: string): Promise<(PairCountRow & { community: string })[]> {
  const { rows } = await db.query<PairCountRow & { community: string }>(
    `SELECT community, j.subject_a, j.subject_b, j.outcome, count(*)::int AS n
       FROM judgments j JOIN consents c ON c.participant_id = j.participant_id
       JOIN (SELECT id, unnest(communities) AS community FROM participants WHERE evaluation_id = $1) p ON p.id = j.participant_id
      WHERE j.evaluation_id = $1 AND j.is_current AND j.kind = 'pairwise' AND ${COUNTED}
      GROUP BY 1, 2, 3, 4`,
    [evaluationId],
  );
  return rows;
}

/**
 * Every current judgment of the evaluation tallied per participant and what the per-person figures distinguish
 * (kind, why it is left out — null when counted —, on an item or not, a revision or not): a few rows a person,
 * read by one scan, from which the distinct-people counts below are taken (instead of one scan each).
 */
export interface TallyRow {
  participant_id: string;
  kind: string;
  reason: string | null;
  on_item: boolean;
  revision: boolean;
  n: number;
}

export async function judgmentTallies(db: Queryable, evaluationId: string): Promise<TallyRow[]> {
  const { rows } = await db.query<TallyRow>(
    `SELECT j.participant_id, j.kind, ${EXCLUSION} AS reason, j.item_id IS NOT NULL AS on_item, j.revises IS NOT NULL AS revision, count(*)::int AS n
       ${FROM_CURRENT} GROUP BY 1, 2, 3, 4, 5`,
    [evaluationId],
  );
  return rows;
}

const distinctPeople = (rows: readonly TallyRow[]) => new Set(rows.map((r) => r.participant_id)).size;

/** Distinct contributing participants per self-described community (for k-suppression). */
export async function communitySizes(db: Queryable, evaluationId: string, tallies: readonly TallyRow[]): Promise<{ community: string | null; participants: number }[]> {
  // contributors without any community form one more group (null), so that the groups cover every contributor
  const counted = new Set(tallies.filter((t) => t.reason === null).map((t) => t.participant_id));
  const { rows } = await db.query<{ id: string; communities: string[] }>("SELECT id, communities FROM participants WHERE evaluation_id = $1", [evaluationId]);
  const sizes = new Map<string | null, number>();
  for (const p of rows) {
    if (!counted.has(p.id)) continue;
    for (const community of new Set(p.communities.length === 0 ? [null] : p.communities)) sizes.set(community, (sizes.get(community) ?? 0) + 1);
  }
  return [...sizes].map(([community, participants]) => ({ community, participants }));
}

/** Counted pairwise judgments in the order they were made, as compact tuples (Elo needs the order). */
export async function pairSequence(db: Queryable, evaluationId: string, board: Board = "revised"): Promise<{ subject_a: string; subject_b: string; outcome: PairwiseOutcome }[]> {
  const { rows } = await db.query<{ subject_a: string; subject_b: string; outcome: PairwiseOutcome }>(
    `SELECT j.subject_a, j.subject_b, j.outcome ${FROM_BOARD(board)} AND j.kind = 'pairwise' AND ${COUNTED} ORDER BY j.seq`,
    [evaluationId],
  );
  return rows;
}

export interface PackedSequence {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly scoreA: Float64Array;
}

/** Subject indices fit in 14 bits each in the packed sequence below. */
export const PACKED_SUBJECTS_MAX = 16_384;

/**
 * The same ordered sequence, packed in SQL: 4 bytes per judgment (a's index · 2^17 + b's index · 4 + outcome
 * code 0 a, 1 b, 2 tie or both_bad), indices into `subjectIds`; one bytea instead of a row per judgment.
 */
export async function packedPairSequence(
  db: Queryable,
  evaluationId: string,
  subjectIds: readonly string[],
  board: Board = "revised",
): Promise<PackedSequence> {
  const { rows } = await db.query<{ packed: Buffer | null }>(
    `SELECT string_agg(int4send((sa.i::int - 1) * 131072 + (sb.i::int - 1) * 4
                               + CASE j.outcome WHEN 'a' THEN 0 WHEN 'b' THEN 1 ELSE 2 END), ''::bytea ORDER BY j.seq) AS packed
       FROM judgments j LEFT JOIN consents c ON c.participant_id = j.participant_id
       JOIN unnest($2::uuid[]) WITH ORDINALITY AS sa(id, i) ON sa.id = j.subject_a
       JOIN unnest($2::uuid[]) WITH ORDINALITY AS sb(id, i) ON sb.id = j.subject_b
      WHERE j.evaluation_id = $1 AND ${VERSION[board]} AND j.kind = 'pairwise' AND j.subject_a <> j.subject_b AND ${COUNTED}`,
    [evaluationId, subjectIds],
  );
  const packed = rows[0]?.packed ?? Buffer.alloc(0);
  const count = packed.length / 4;
  const a = new Int32Array(count);
  const b = new Int32Array(count);
  const scoreA = new Float64Array(count);
  const scores = [1, 0, 0.5, 0.5];
  for (let k = 0; k < count; k++) {
    const word = packed.readInt32BE(4 * k);
    a[k] = word >>> 17;
    b[k] = (word >>> 2) & 0x3fff;
    scoreA[k] = scores[word & 3] ?? 0.5;
  }
  return { a, b, scoreA };
}

/** Current judgments left out, per kind and reason: how many, and the distinct people behind them. */
export function exclusionCounts(tallies: readonly TallyRow[]): { kind: string; reason: string; n: number; people: number }[] {
  const groups = new Map<string, TallyRow[]>();
  for (const t of tallies) {
    if (t.reason === null) continue;
    const key = JSON.stringify([t.kind, t.reason]);
    pushTo(groups, key, t);
  }
  return [...groups.values()]
    .map((rows) => ({ kind: rows[0]?.kind ?? "", reason: rows[0]?.reason ?? "", n: rows.reduce((sum, r) => sum + r.n, 0), people: distinctPeople(rows) }))
    .sort((x, y) => byText(x.kind, y.kind) || byText(x.reason, y.reason));
}

/** Byte order of text, as ORDER BY under the C collation (the kinds and reasons are ASCII). */
function byText(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Ranking judgments as subject-id tie groups (response ids mapped to their subjects). */
export async function countedRankings(db: Queryable, evaluationId: string, board: Board = "revised"): Promise<{ participant_id: string; groups: string[][] }[]> {
  const { rows } = await db.query<{ participant_id: string; body: { order: string[][] } }>(
    `SELECT j.participant_id, j.body ${FROM_BOARD(board)} AND j.kind = 'ranking' AND ${COUNTED} ORDER BY j.seq`,
    [evaluationId],
  );
  const responseIds = [...new Set(rows.flatMap((r) => r.body.order.flat()))];
  const subjects = await db.query<{ id: string; subject_id: string }>("SELECT id, subject_id FROM responses WHERE id = ANY($1::uuid[])", [responseIds]);
  const subjectOf = new Map(subjects.rows.map((r) => [r.id, r.subject_id]));
  return rows.map((r) => ({ participant_id: r.participant_id, groups: r.body.order.map((group) => group.map((id) => subjectOf.get(id) ?? id)) }));
}

export async function countedRatings(db: Queryable, evaluationId: string): Promise<{ subject_id: string; dimension: string; score: number; participant_id: string }[]> {
  const { rows } = await db.query<{ subject_id: string; dimension: string; score: number; participant_id: string }>(
    `SELECT r.subject_id, s.key AS dimension, s.value::float8 AS score, j.participant_id
       FROM judgments j LEFT JOIN consents c ON c.participant_id = j.participant_id
       JOIN responses r ON r.id = j.response_ids[1]
       CROSS JOIN LATERAL jsonb_each_text(j.body -> 'scores') AS s
      WHERE j.evaluation_id = $1 AND j.is_current AND j.kind = 'rating' AND ${COUNTED}`,
    [evaluationId],
  );
  return rows;
}

export interface ShareRow {
  key: string;
  judgments: number;
  tie: number;
  both_bad: number;
  abstention: number;
  contest: number;
  /** distinct people behind each figure (for k-suppression; never published) */
  people: { tie: number; both_bad: number; abstention: number; contest: number; other: number };
}

const OTHER = "COALESCE(j.outcome, '') NOT IN ('tie', 'both_bad') AND j.kind NOT IN ('abstention', 'contest')";
/**
 * The share figures in two steps, for subjects: tallies per (subject, person) first, then per subject — the
 * distinct people behind a figure are the persons whose tally of it is not zero. (count(DISTINCT …) FILTER, five
 * of them, sorted each subject's 20,000 rows of a million judgments five times.) `j` is the rows' alias with its dot, or "".
 */
const PER_PERSON = (j: string) => `count(*) AS judgments,
  count(*) FILTER (WHERE ${j}outcome = 'tie') AS tie, count(*) FILTER (WHERE ${j}outcome = 'both_bad') AS both_bad,
  count(*) FILTER (WHERE ${j}kind = 'abstention') AS abstention, count(*) FILTER (WHERE ${j}kind = 'contest') AS contest,
  count(*) FILTER (WHERE ${OTHER.replaceAll("j.", j)}) AS other`;
const SHARE_COLUMNS = `sum(judgments)::int AS judgments, sum(tie)::int AS tie, sum(both_bad)::int AS both_bad,
  sum(abstention)::int AS abstention, sum(contest)::int AS contest,
  json_build_object('tie', count(*) FILTER (WHERE tie > 0), 'both_bad', count(*) FILTER (WHERE both_bad > 0),
                    'abstention', count(*) FILTER (WHERE abstention > 0), 'contest', count(*) FILTER (WHERE contest > 0),
                    'other', count(*) FILTER (WHERE other > 0)) AS people`;

/** One level, for items: (item, person) pairs hardly repeat, so tallies per person first would save nothing. */
const SHARE_COLUMNS_BY_DISTINCT = `count(*)::int AS judgments,
  count(*) FILTER (WHERE j.outcome = 'tie')::int AS tie, count(*) FILTER (WHERE j.outcome = 'both_bad')::int AS both_bad,
  count(*) FILTER (WHERE j.kind = 'abstention')::int AS abstention, count(*) FILTER (WHERE j.kind = 'contest')::int AS contest,
  json_build_object('tie', count(DISTINCT j.participant_id) FILTER (WHERE j.outcome = 'tie'),
                    'both_bad', count(DISTINCT j.participant_id) FILTER (WHERE j.outcome = 'both_bad'),
                    'abstention', count(DISTINCT j.participant_id) FILTER (WHERE j.kind = 'abstention'),
                    'contest', count(DISTINCT j.participant_id) FILTER (WHERE j.kind = 'contest'),
                    'other', count(DISTINCT j.participant_id) FILTER (WHERE ${OTHER})) AS people`;

/** Ties, both_bad, abstentions and contests per item: dissent with the task is a result too. */
export async function sharesByItem(db: Queryable, evaluationId: string): Promise<ShareRow[]> {
  const { rows } = await db.query<ShareRow>(
    `SELECT j.item_id::text AS key, ${SHARE_COLUMNS_BY_DISTINCT} ${FROM_CURRENT} AND j.item_id IS NOT NULL AND ${COUNTED} GROUP BY 1 ORDER BY 1`,
    [evaluationId],
  );
  return rows;
}

/** A pairwise judgment with both subjects and their two responses. */
const SHOWS_TWO = `j.kind = 'pairwise' AND cardinality(j.response_ids) = 2 AND j.subject_a IS NOT NULL AND j.subject_b IS NOT NULL`;

export async function sharesBySubject(db: Queryable, evaluationId: string): Promise<ShareRow[]> {
  // A pairwise judgment showing two responses shows its two subjects: read from the judgment itself,
  // rather than from a join of every response id with the responses (two index probes per judgment).
  const { rows } = await db.query<ShareRow>(
    `WITH shown AS (
       SELECT s AS subject_id, j.kind, j.outcome, j.participant_id
         FROM judgments j JOIN consents c ON c.participant_id = j.participant_id CROSS JOIN LATERAL unnest(ARRAY[j.subject_a, j.subject_b]) AS s
        WHERE j.evaluation_id = $1 AND j.is_current AND ${COUNTED} AND ${SHOWS_TWO}
       UNION ALL
       SELECT r.subject_id, j.kind, j.outcome, j.participant_id
         FROM judgments j JOIN consents c ON c.participant_id = j.participant_id CROSS JOIN LATERAL unnest(j.response_ids) AS rid JOIN responses r ON r.id = rid
        WHERE j.evaluation_id = $1 AND j.is_current AND ${COUNTED} AND NOT (${SHOWS_TWO}))
     , per_person AS (SELECT subject_id AS key, ${PER_PERSON("")} FROM shown GROUP BY subject_id, participant_id)
     SELECT key::text AS key, ${SHARE_COLUMNS} FROM per_person GROUP BY 1 ORDER BY 1`,
    [evaluationId],
  );
  return rows;
}

/** Distinct people behind the counted judgments of each kind (what feeds each rule). */
export function contributorsByKind(tallies: readonly TallyRow[]): Map<string, number> {
  const people = new Map<string, Set<string>>();
  for (const t of tallies) if (t.reason === null) people.set(t.kind, (people.get(t.kind) ?? new Set()).add(t.participant_id));
  return new Map([...people].map(([kind, set]) => [kind, set.size]));
}

/**
 * Pairwise outcomes per (item, unordered subject pair) unit, for Krippendorff's α. Each unit's outcomes are
 * oriented by the two subjects' NAMES in byte order (unique per evaluation, the same on every install), never
 * by their ids: nominal α depends on the orientation, and ids differ between installs of the same data.
 */
export async function pairwiseUnits(db: Queryable, evaluationId: string): Promise<{ unit: string; outcomes: string[] }[]> {
  const { rows } = await db.query<{ unit: string; outcomes: string[] }>(
    `SELECT coalesce(j.item_id::text, '') || '|' || LEAST(j.subject_a, j.subject_b) || '|' || GREATEST(j.subject_a, j.subject_b) AS unit,
            array_agg(CASE WHEN (sa.name COLLATE "C") < (sb.name COLLATE "C") OR j.outcome IN ('tie', 'both_bad') THEN j.outcome
                           WHEN j.outcome = 'a' THEN 'b' ELSE 'a' END) AS outcomes
       FROM judgments j LEFT JOIN consents c ON c.participant_id = j.participant_id
       JOIN subjects sa ON sa.id = j.subject_a JOIN subjects sb ON sb.id = j.subject_b
      WHERE j.evaluation_id = $1 AND j.is_current AND j.kind = 'pairwise' AND ${COUNTED}
      GROUP BY j.item_id, LEAST(j.subject_a, j.subject_b), GREATEST(j.subject_a, j.subject_b) HAVING count(*) > 1`,
    [evaluationId],
  );
  return rows;
}

/** Rating scores per (response, dimension) unit by different participants, for Krippendorff's α. */
export async function ratingUnits(db: Queryable, evaluationId: string): Promise<{ dimension: string; scores: number[] }[]> {
  const { rows } = await db.query<{ dimension: string; scores: number[] }>(
    `SELECT s.key AS dimension, array_agg(s.value::float8) AS scores
       FROM judgments j LEFT JOIN consents c ON c.participant_id = j.participant_id
       CROSS JOIN LATERAL jsonb_each_text(j.body -> 'scores') AS s
      WHERE j.evaluation_id = $1 AND j.is_current AND j.kind = 'rating' AND ${COUNTED}
      GROUP BY j.response_ids[1], s.key HAVING count(*) > 1`,
    [evaluationId],
  );
  return rows;
}

/**
 * A fingerprint of everything results depend on: judgments (new, revised, excluded, erased), consent
 * (granted, revoked), communities, subjects, responses and charters, through the per-evaluation version
 * their triggers bump (migration 0010); equal fingerprints mean equal data. One indexed read of a few rows.
 */
export async function resultsFingerprint(db: Queryable, evaluationId: string): Promise<string> {
  return dataVersion(db, evaluationId, "results");
}

/** Distinct people behind all counted abstentions, contests and other judgments on items (for the dissent totals). */
export function dissentPeople(tallies: readonly TallyRow[]): { abstention: number; contest: number; other: number } {
  const onItems = tallies.filter((t) => t.reason === null && t.on_item);
  return {
    abstention: distinctPeople(onItems.filter((t) => t.kind === "abstention")),
    contest: distinctPeople(onItems.filter((t) => t.kind === "contest")),
    other: distinctPeople(onItems.filter((t) => t.kind !== "abstention" && t.kind !== "contest")),
  };
}

const REVISABLE = new Set(["pairwise", "ranking", "abstention", "contest"]);

/** Counted votes revised after the reveal (current versions that revise another), and the people behind them. */
export function revisionCounts(tallies: readonly TallyRow[]): { judgments: number; people: number } {
  const revisions = tallies.filter((t) => t.reason === null && t.revision && REVISABLE.has(t.kind));
  return { judgments: revisions.reduce((sum, r) => sum + r.n, 0), people: distinctPeople(revisions) };
}
