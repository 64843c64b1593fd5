import type { Queryable } from "../../platform/db/pool.ts";

export interface EndpointRow {
  subject_id: string;
  name: string;
  organisation: string | null;
  config: unknown;
}

export async function upsertEndpoint(db: Queryable, subjectId: string, config: unknown): Promise<void> {
  await db.query(
    `INSERT INTO subject_endpoints (subject_id, config) VALUES ($1, $2)
     ON CONFLICT (subject_id) DO UPDATE SET config = EXCLUDED.config, updated_at = now()`,
    [subjectId, JSON.stringify(config)],
  );
  await db.query("UPDATE subjects SET available = true, unavailable_reason = NULL WHERE id = $1", [subjectId]);
}

/** Live subjects of an evaluation that are currently available. */
export async function availableEndpoints(db: Queryable, evaluationId: string): Promise<EndpointRow[]> {
  const { rows } = await db.query<EndpointRow>(
    `SELECT e.subject_id, s.name, s.organisation, e.config FROM subject_endpoints e JOIN subjects s ON s.id = e.subject_id
      WHERE s.evaluation_id = $1 AND s.available ORDER BY s.name`,
    [evaluationId],
  );
  return rows;
}

export async function markUnavailable(db: Queryable, subjectId: string, reason: string): Promise<void> {
  await db.query("UPDATE subjects SET available = false, unavailable_reason = $2 WHERE id = $1", [subjectId, reason]);
}
