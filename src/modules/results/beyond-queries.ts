/** The SQL behind slices, bridging and anomalies: counted votes per slice, individual votes, leaks and joins. */
import type { PairwiseOutcome } from "../../core/judgment.ts";
import type { SliceDimension } from "../../analytics/results/slices.ts";
import { participantMayUseSql } from "../../platform/consent-sql.ts";
import type { Queryable } from "../../platform/db/pool.ts";
import type { Board } from "../../core/charter.ts";
import { COUNTED, VERSION, type PairCountRow } from "./queries.ts";

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

/** The dimensions some item or participant of the evaluation has (an index read, so absent ones cost no scan). */
export async function presentDimensions(db: Queryable, evaluationId: string): Promise<Set<SliceDimension>> {
  const { rows } = await db.query<Record<SliceDimension, boolean | null>>(
    `SELECT (SELECT bool_or(scenario ? 'useCase') FROM items WHERE evaluation_id = $1) AS "useCase",
            (SELECT bool_or(scenario ? 'language') FROM items WHERE evaluation_id = $1) AS language,
            (SELECT bool_or(scenario ? 'tags') FROM items WHERE evaluation_id = $1) AS tag,
            (SELECT bool_or(cardinality(communities) > 0) FROM participants WHERE evaluation_id = $1) AS community`,
    [evaluationId],
  );
  const row = rows[0];
  return new Set((Object.keys(SLICE_KEY) as SliceDimension[]).filter((dimension) => row?.[dimension] === true));
}

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

/**
 * Joins through shared (multi-use) invitations of people who contributed a counted judgment. The invitation is
 * named by its order of creation, never by its token (a token is a key to join).
 */
export async function invitationJoins(db: Queryable, evaluationId: string): Promise<{ pseudonym: string; invitation: string; joined_at: Date }[]> {
  const { rows } = await db.query<{ pseudonym: string; invitation: string; joined_at: Date }>(
    `SELECT p.pseudonym, 'invitation ' || dense_rank() OVER (ORDER BY i.created_at, i.token) AS invitation, p.joined_at
       FROM participants p JOIN invitations i ON i.token = p.invitation_token LEFT JOIN consents c ON c.participant_id = p.id
      WHERE p.evaluation_id = $1 AND (i.max_uses IS NULL OR i.max_uses > 1) AND ${MAY_AGGREGATE}
        AND EXISTS (SELECT 1 FROM judgments j WHERE j.participant_id = p.id AND j.is_current AND j.excluded_reason IS NULL)`,
    [evaluationId],
  );
  return rows;
}
