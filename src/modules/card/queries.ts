/** Counts the evaluation card is built from (migration 0003 tables and the core ones). */
import type { Queryable } from "../../platform/db/pool.ts";

export interface CardCounts {
  participants: number;
  judgments: number;
  revocations: number;
}

export async function cardCounts(db: Queryable, evaluationId: string): Promise<CardCounts> {
  const { rows } = await db.query<CardCounts>(
    `SELECT (SELECT count(*)::int FROM participants WHERE evaluation_id = $1) AS participants,
            (SELECT count(*)::int FROM judgments WHERE evaluation_id = $1 AND is_current) AS judgments,
            (SELECT count(*)::int FROM consent_events WHERE evaluation_id = $1 AND cardinality(revoked) > 0) AS revocations`,
    [evaluationId],
  );
  return rows[0] ?? { participants: 0, judgments: 0, revocations: 0 };
}

/** Self-described communities with their member counts (they overlap; suppression happens in the domain). */
export async function communityCounts(db: Queryable, evaluationId: string): Promise<{ key: string; count: number }[]> {
  const { rows } = await db.query<{ key: string; count: number }>(
    "SELECT community AS key, count(*)::int AS count FROM participants, unnest(communities) AS community WHERE evaluation_id = $1 GROUP BY community ORDER BY community",
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
