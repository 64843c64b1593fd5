/**
 * The results' aggregates as the SQL statements that computed them before the judgment snapshot
 * (src/modules/results/judgment-snapshot.ts) replaced them: kept as an independent reference, against which
 * test/modules/results/judgment-snapshot.test.ts checks every aggregate the snapshot gives.
 */
import type { SliceDimension } from "../../src/analytics/results/slices.ts";
import type { Board } from "../../src/core/charter.ts";
import type { PairwiseOutcome } from "../../src/core/judgment.ts";
import { participantMayUseSql } from "../../src/platform/consent-sql.ts";
import type { Queryable } from "../../src/platform/db/pool.ts";
import { COUNTED, VERSION, type PackedSequence, type PairCountRow, type ShareRow, type TallyRow } from "../../src/modules/results/queries.ts";

const FROM_BOARD = (board: Board) => `FROM judgments j LEFT JOIN consents c ON c.participant_id = j.participant_id
                      WHERE j.evaluation_id = $1 AND ${VERSION[board]}`;
const FROM_CURRENT = FROM_BOARD("revised");

/**
 * Why a current judgment is left out of results, decided in SQL: no `aggregate` consent now, or a reason
 * recorded on the judgment (e.g. a response that revealed its subject's identity).
 */
export const EXCLUSION = `CASE WHEN NOT ${participantMayUseSql("c.scopes", "'aggregate'")} THEN 'consent_lacks_aggregate'
                       ELSE j.excluded_reason END`;


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


export async function judgmentTallies(db: Queryable, evaluationId: string): Promise<TallyRow[]> {
  const { rows } = await db.query<TallyRow>(
    `SELECT j.participant_id, j.kind, ${EXCLUSION} AS reason, j.item_id IS NOT NULL AS on_item, j.revises IS NOT NULL AS revision, count(*)::int AS n
       ${FROM_CURRENT} GROUP BY 1, 2, 3, 4, 5`,
    [evaluationId],
  );
  return rows;
}


/** Counted pairwise judgments in the order they were made, as compact tuples (Elo needs the order). */
export async function pairSequence(db: Queryable, evaluationId: string, board: Board = "revised"): Promise<{ subject_a: string; subject_b: string; outcome: PairwiseOutcome }[]> {
  const { rows } = await db.query<{ subject_a: string; subject_b: string; outcome: PairwiseOutcome }>(
    `SELECT j.subject_a, j.subject_b, j.outcome ${FROM_BOARD(board)} AND j.kind = 'pairwise' AND ${COUNTED} ORDER BY j.seq`,
    [evaluationId],
  );
  return rows;
}



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

/** Per dimension: the slice key of a judgment (null when it is in no slice), and the joins it needs. */
const SLICE_KEY: Readonly<Record<SliceDimension, { join: string; key: string; byItem: boolean }>> = {
  useCase: { join: "LEFT JOIN items i ON i.id = j.item_id", key: "NULLIF(btrim(i.scenario ->> 'useCase'), '')", byItem: true },
  language: { join: "LEFT JOIN items i ON i.id = j.item_id", key: "NULLIF(lower(btrim(i.scenario ->> 'language')), '')", byItem: true },
  tag: {
    byItem: true,
    join: `LEFT JOIN items i ON i.id = j.item_id
           LEFT JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(i.scenario -> 'tags') = 'array' THEN i.scenario -> 'tags' ELSE '[]'::jsonb END) AS t(tag) ON true`,
    key: "NULLIF(btrim(t.tag), '')",
  },
  community: {
    byItem: false,
    join: `JOIN participants p ON p.id = j.participant_id
           CROSS JOIN LATERAL unnest(CASE WHEN cardinality(p.communities) = 0 THEN ARRAY[NULL::text] ELSE p.communities END) AS m(community)`,
    key: "m.community",
  },
};

/** Counted pairwise judgments per slice and pair, and the distinct people behind each slice. */
export async function countedPairsBySlice(db: Queryable, evaluationId: string, dimension: SliceDimension, board: Board) {
  const { join, key, byItem } = SLICE_KEY[dimension];
  const pairs = await db.query<PairCountRow & { slice: string | null }>(
    `SELECT ${key} AS slice, j.subject_a, j.subject_b, j.outcome, count(*)::int AS n
       FROM judgments j LEFT JOIN consents c ON c.participant_id = j.participant_id ${join}
      WHERE j.evaluation_id = $1 AND ${VERSION[board]} AND j.kind = 'pairwise' AND ${COUNTED}
      GROUP BY 1, 2, 3, 4`,
    [evaluationId],
  );
  // the people behind each slice: first who voted (on which item, when the slice depends on it), a few rows a
  // person, then their slices — not every vote's slice, sorted for a distinct count
  const people = await db.query<{ slice: string | null; contributors: number }>(
    `SELECT ${key} AS slice, count(DISTINCT j.participant_id)::int AS contributors
       FROM (SELECT DISTINCT j.participant_id${byItem ? ", j.item_id" : ""}
               FROM judgments j LEFT JOIN consents c ON c.participant_id = j.participant_id
              WHERE j.evaluation_id = $1 AND ${VERSION[board]} AND j.kind = 'pairwise' AND ${COUNTED}) j ${join}
      GROUP BY 1`,
    [evaluationId],
  );
  return { pairs: pairs.rows, people: people.rows };
}

/** Counted pairwise judgments on `board` with their author's pseudonym, in the order they were cast. */
export async function individualVotes(db: Queryable, evaluationId: string, board: Board): Promise<{ pseudonym: string; subject_a: string; subject_b: string; outcome: PairwiseOutcome }[]> {
  const { rows } = await db.query<{ pseudonym: string; subject_a: string; subject_b: string; outcome: PairwiseOutcome }>(
    `SELECT p.pseudonym, j.subject_a, j.subject_b, j.outcome
       FROM judgments j JOIN participants p ON p.id = j.participant_id LEFT JOIN consents c ON c.participant_id = j.participant_id
      WHERE j.evaluation_id = $1 AND ${VERSION[board]} AND j.kind = 'pairwise' AND ${COUNTED}
      ORDER BY j.seq`,
    [evaluationId],
  );
  return rows;
}

const MAY_AGGREGATE = participantMayUseSql("c.scopes", "'aggregate'");

/** Per pseudonym (of people whose consent includes `aggregate`), current votes set aside for an identity leak. */
export async function identityLeakVotes(db: Queryable, evaluationId: string): Promise<{ pseudonym: string; votes: number }[]> {
  const { rows } = await db.query<{ pseudonym: string; votes: number }>(
    `SELECT p.pseudonym, count(*)::int AS votes
       FROM judgments j JOIN participants p ON p.id = j.participant_id LEFT JOIN consents c ON c.participant_id = j.participant_id
      WHERE j.evaluation_id = $1 AND j.is_current AND j.excluded_reason = 'identity_leak' AND ${MAY_AGGREGATE}
      GROUP BY 1`,
    [evaluationId],
  );
  return rows;
}


/** Distinct contributing participants per self-described community, read from the participants table. */
export async function communitySizes(db: Queryable, evaluationId: string, tallies: readonly TallyRow[]): Promise<{ community: string | null; participants: number }[]> {
  const counted = new Set(tallies.filter((t) => t.reason === null).map((t) => t.participant_id));
  const { rows } = await db.query<{ id: string; communities: string[] }>("SELECT id, communities FROM participants WHERE evaluation_id = $1", [evaluationId]);
  const sizes = new Map<string | null, number>();
  for (const p of rows) {
    if (!counted.has(p.id)) continue;
    for (const community of new Set(p.communities.length === 0 ? [null] : p.communities)) sizes.set(community, (sizes.get(community) ?? 0) + 1);
  }
  return [...sizes].map(([community, participants]) => ({ community, participants }));
}
