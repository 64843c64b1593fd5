/** Counts the evaluation card is built from (migration 0003 tables and the core ones). */
import { participantMayUseSql } from "../../platform/consent-sql.ts";
import type { Queryable } from "../../platform/db/pool.ts";

/** A participant whose current consent covers `aggregate` (the card counts only them, as the results do). */
const COUNTED = participantMayUseSql("(SELECT c.scopes FROM consents c WHERE c.participant_id = p.id)", "'aggregate'");

export interface CardCounts {
  participants: number;
  judgments: number;
  revocations: number;
}

export async function cardCounts(db: Queryable, evaluationId: string): Promise<CardCounts> {
  const { rows } = await db.query<CardCounts>(
    `SELECT (SELECT count(*)::int FROM participants p WHERE p.evaluation_id = $1 AND ${COUNTED}) AS participants,
            (SELECT count(*)::int FROM judgments j JOIN participants p ON p.id = j.participant_id
              WHERE j.evaluation_id = $1 AND j.is_current AND j.excluded_reason IS NULL AND ${COUNTED}) AS judgments,
            (SELECT count(*)::int FROM consent_events WHERE evaluation_id = $1 AND cardinality(revoked) > 0) AS revocations`,
    [evaluationId],
  );
  return rows[0] ?? { participants: 0, judgments: 0, revocations: 0 };
}

/** Self-described communities of the counted participants (key null: in no community); suppression happens in core. */
export async function communityCounts(db: Queryable, evaluationId: string): Promise<{ key: string | null; count: number }[]> {
  const { rows } = await db.query<{ key: string | null; count: number }>(
    `SELECT community AS key, count(*)::int AS count
       FROM participants p CROSS JOIN LATERAL unnest(CASE WHEN cardinality(p.communities) = 0 THEN ARRAY[NULL::text] ELSE p.communities END) AS community
      WHERE p.evaluation_id = $1 AND ${COUNTED} GROUP BY community ORDER BY community`,
    [evaluationId],
  );
  return rows;
}

/** Participants currently granting each scope. */
export async function scopeGrants(db: Queryable, evaluationId: string): Promise<Map<string, number>> {
  const { rows } = await db.query<{ scope: string; n: number }>(
    "SELECT scope, count(*)::int AS n FROM consents, unnest(scopes) AS scope WHERE evaluation_id = $1 GROUP BY scope",
    [evaluationId],
  );
  return new Map(rows.map((row) => [row.scope, row.n]));
}
