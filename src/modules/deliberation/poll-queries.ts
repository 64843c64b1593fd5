/**
 * Before/after aggregates of a deliberative poll, computed in SQL.
 *
 * A judgment and its revisions form a chain (`revises`). For each chain:
 *   before = its latest version made in the `judge` phase (the judgment as it stood when judging ended),
 *   after  = its current version (the revision made in the revise phase, or the unchanged judgment).
 * Chains with no judge-phase version (first cast after deliberation) have no "before" and are left out.
 * Only participants whose current consent includes `aggregate` are counted.
 */
import type { Queryable } from "../../platform/db/pool.ts";

const CHAINS = `
WITH RECURSIVE chain AS (
  SELECT id AS root, id, seq, phase FROM judgments WHERE evaluation_id = $1 AND revises IS NULL
  UNION ALL
  SELECT c.root, j.id, j.seq, j.phase FROM judgments j JOIN chain c ON j.revises = c.id
),
before_version AS (
  SELECT DISTINCT ON (root) root, id FROM chain WHERE phase = 'judge' ORDER BY root, seq DESC
),
versions AS (
  SELECT b.root, b.id AS before_id, a.id AS after_id
    FROM before_version b JOIN chain a ON a.root = b.root JOIN judgments ja ON ja.id = a.id AND ja.is_current
),
counted AS (
  SELECT v.*, jb.participant_id FROM versions v
    JOIN judgments jb ON jb.id = v.before_id
    JOIN consents c ON c.participant_id = jb.participant_id AND 'aggregate' = ANY (c.scopes)
)`;

export interface PairwisePollRow {
  item_id: string | null;
  subject_id: string;
  participants: number;
  after_participants: number;
  judgments: number;
  before_share: number;
  after_share: number | null;
  after_judgments: number;
  moved: number;
  toward: number;
  away: number;
  withdrew: number;
  sideways: number;
}

/** Per item and subject: win share before and after (a win 1, a tie or both-bad ½, a loss 0) and the moves. */
export async function pairwisePoll(db: Queryable, evaluationId: string): Promise<PairwisePollRow[]> {
  const { rows } = await db.query<PairwisePollRow>(
    `${CHAINS},
sides AS (
  SELECT c.participant_id, jb.item_id, side.subject_id,
         CASE WHEN jb.outcome = side.letter THEN 1.0 WHEN jb.outcome IN ('tie', 'both_bad') THEN 0.5 ELSE 0.0 END AS before_score,
         CASE WHEN ja.kind <> 'pairwise' THEN NULL WHEN ja.outcome = side.letter THEN 1.0
              WHEN ja.outcome IN ('tie', 'both_bad') THEN 0.5 ELSE 0.0 END AS after_score,
         jb.outcome AS before_outcome, ja.kind AS after_kind, ja.outcome AS after_outcome
    FROM counted c
    JOIN judgments jb ON jb.id = c.before_id
    JOIN judgments ja ON ja.id = c.after_id
    CROSS JOIN LATERAL (VALUES (jb.subject_a, 'a'), (jb.subject_b, 'b')) AS side (subject_id, letter)
   WHERE jb.kind = 'pairwise' AND side.subject_id IS NOT NULL
)
SELECT item_id, subject_id,
       count(DISTINCT participant_id)::int AS participants,
       count(DISTINCT participant_id) FILTER (WHERE after_score IS NOT NULL)::int AS after_participants,
       count(*)::int AS judgments,
       avg(before_score)::float8 AS before_share,
       avg(after_score)::float8 AS after_share,
       count(after_score)::int AS after_judgments,
       count(*) FILTER (WHERE after_kind <> 'pairwise' OR after_outcome IS DISTINCT FROM before_outcome)::int AS moved,
       count(*) FILTER (WHERE after_score > before_score)::int AS toward,
       count(*) FILTER (WHERE after_score < before_score)::int AS away,
       count(*) FILTER (WHERE after_score IS NULL)::int AS withdrew,
       count(*) FILTER (WHERE after_score = before_score AND after_outcome IS DISTINCT FROM before_outcome)::int AS sideways
  FROM sides GROUP BY item_id, subject_id ORDER BY item_id, subject_id`,
    [evaluationId],
  );
  return rows;
}

export interface RatingPollRow {
  item_id: string | null;
  subject_id: string;
  dimension: string;
  participants: number;
  after_participants: number;
  judgments: number;
  before_mean: number;
  after_mean: number | null;
  after_judgments: number;
  moved: number;
  up: number;
  down: number;
  withdrew: number;
}

/** Per item, subject and rubric dimension: mean rating before and after, and how many moved up or down. */
export async function ratingPoll(db: Queryable, evaluationId: string): Promise<RatingPollRow[]> {
  const { rows } = await db.query<RatingPollRow>(
    `${CHAINS},
scores AS (
  SELECT c.participant_id, jb.item_id, r.subject_id, d.key AS dimension, d.value::numeric AS before_score,
         CASE WHEN ja.kind = 'rating' THEN (ja.body -> 'scores' ->> d.key)::numeric END AS after_score
    FROM counted c
    JOIN judgments jb ON jb.id = c.before_id
    JOIN judgments ja ON ja.id = c.after_id
    JOIN responses r ON r.id = jb.response_ids[1]
    CROSS JOIN LATERAL jsonb_each_text(jb.body -> 'scores') AS d (key, value)
   WHERE jb.kind = 'rating'
)
SELECT item_id, subject_id, dimension,
       count(DISTINCT participant_id)::int AS participants,
       count(DISTINCT participant_id) FILTER (WHERE after_score IS NOT NULL)::int AS after_participants,
       count(*)::int AS judgments,
       avg(before_score)::float8 AS before_mean,
       avg(after_score)::float8 AS after_mean,
       count(after_score)::int AS after_judgments,
       count(*) FILTER (WHERE after_score IS DISTINCT FROM before_score)::int AS moved,
       count(*) FILTER (WHERE after_score > before_score)::int AS up,
       count(*) FILTER (WHERE after_score < before_score)::int AS down,
       count(*) FILTER (WHERE after_score IS NULL)::int AS withdrew
  FROM scores GROUP BY item_id, subject_id, dimension ORDER BY item_id, subject_id, dimension`,
    [evaluationId],
  );
  return rows;
}

export interface RankingPollRow {
  item_id: string | null;
  subject_id: string;
  participants: number;
  after_participants: number;
  judgments: number;
  before_position: number;
  after_position: number | null;
  after_judgments: number;
  moved: number;
  up: number;
  down: number;
  withdrew: number;
}

/**
 * Per item and subject: mean position in the ranking before and after (1 = best; tied responses share
 * their group's position), and how many moved up or down.
 */
export async function rankingPoll(db: Queryable, evaluationId: string): Promise<RankingPollRow[]> {
  const { rows } = await db.query<RankingPollRow>(
    `${CHAINS},
positions AS (
  SELECT c.participant_id, jb.item_id, r.subject_id, placed.position AS before_position,
         (SELECT g.position FROM jsonb_array_elements(CASE WHEN ja.kind = 'ranking' THEN ja.body -> 'order' ELSE '[]'::jsonb END)
                 WITH ORDINALITY AS g (members, position)
           WHERE g.members ? placed.response_id) AS after_position
    FROM counted c
    JOIN judgments jb ON jb.id = c.before_id
    JOIN judgments ja ON ja.id = c.after_id
    CROSS JOIN LATERAL (SELECT g.position, m.response_id
                          FROM jsonb_array_elements(jb.body -> 'order') WITH ORDINALITY AS g (members, position),
                               jsonb_array_elements_text(g.members) AS m (response_id)) AS placed
    JOIN responses r ON r.id = placed.response_id::uuid
   WHERE jb.kind = 'ranking'
)
SELECT item_id, subject_id,
       count(DISTINCT participant_id)::int AS participants,
       count(DISTINCT participant_id) FILTER (WHERE after_position IS NOT NULL)::int AS after_participants,
       count(*)::int AS judgments,
       avg(before_position)::float8 AS before_position,
       avg(after_position)::float8 AS after_position,
       count(after_position)::int AS after_judgments,
       count(*) FILTER (WHERE after_position IS DISTINCT FROM before_position)::int AS moved,
       count(*) FILTER (WHERE after_position < before_position)::int AS up,
       count(*) FILTER (WHERE after_position > before_position)::int AS down,
       count(*) FILTER (WHERE after_position IS NULL)::int AS withdrew
  FROM positions GROUP BY item_id, subject_id ORDER BY item_id, subject_id`,
    [evaluationId],
  );
  return rows;
}

/** Judgment chains left out of the poll, and why (counts only). */
export async function pollExclusions(db: Queryable, evaluationId: string): Promise<{ no_before: number; no_aggregate_consent: number }> {
  const { rows } = await db.query<{ no_before: number; no_aggregate_consent: number }>(
    `${CHAINS}
SELECT (SELECT count(*) FROM chain WHERE id = root AND root NOT IN (SELECT root FROM before_version))::int AS no_before,
       (SELECT count(*) FROM versions WHERE root NOT IN (SELECT root FROM counted))::int AS no_aggregate_consent`,
    [evaluationId],
  );
  return rows[0] ?? { no_before: 0, no_aggregate_consent: 0 };
}
