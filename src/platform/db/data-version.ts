import type { Queryable } from "./pool.ts";

/**
 * An evaluation's data version for a scope (migration 0010): the sum over shards of the counters that
 * triggers bump in every transaction changing that scope's tables; "0" before any change. Equal versions
 * mean equal data. One indexed read of at most 64 rows (0013).
 *   results: judgments, consents, participants, subjects, responses, charters
 *   opinion: statement votes, statements, consents, deliberation settings
 */
export async function dataVersion(db: Queryable, evaluationId: string, scope: "results" | "opinion"): Promise<string> {
  const { rows } = await db.query<{ version: string }>(
    "SELECT coalesce(sum(version), 0)::text AS version FROM data_versions WHERE evaluation_id = $1 AND scope = $2",
    [evaluationId, scope],
  );
  return rows[0]?.version ?? "0";
}
