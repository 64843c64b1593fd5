/** Counts the evaluation card is built from (migration 0003 tables and the core ones). */
import { countedJudgmentsSql, countedParticipantSql, countedParticipantsSql } from "../../platform/consent-sql.ts";
import type { Queryable } from "../../platform/db/pool.ts";

/** A participant whose current consent covers `aggregate` (the card counts only them, as the results do). */
const COUNTED = countedParticipantSql();

export interface CardCounts {
  participants: number;
  judgments: number;
  revocations: number;
}

export async function cardCounts(db: Queryable, evaluationId: string): Promise<CardCounts> {
  const { rows } = await db.query<CardCounts>(
    `SELECT ${countedParticipantsSql("$1")} AS participants, ${countedJudgmentsSql("$1")} AS judgments,
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
