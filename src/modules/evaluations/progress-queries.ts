import type { Queryable } from "../../platform/db/pool.ts";

export interface ProgressRow {
  participants: number;
  consenting: number;
  judgments: number;
  pairwise: number;
  ratings: number;
  rankings: number;
  abstentions: number;
  contests: number;
  revisions: number;
  open_assignments: number;
  subjects: number;
  available_subjects: number;
  items: number;
  pending_items: number;
}

export async function progressCounts(db: Queryable, evaluationId: string): Promise<ProgressRow> {
  const { rows } = await db.query<ProgressRow>(
    `SELECT (SELECT count(*) FROM participants WHERE evaluation_id = $1)::int AS participants,
            (SELECT count(*) FROM consents WHERE evaluation_id = $1 AND cardinality(scopes) > 0)::int AS consenting,
            count(*) FILTER (WHERE j.is_current)::int AS judgments,
            count(*) FILTER (WHERE j.is_current AND j.kind = 'pairwise')::int AS pairwise,
            count(*) FILTER (WHERE j.is_current AND j.kind = 'rating')::int AS ratings,
            count(*) FILTER (WHERE j.is_current AND j.kind = 'ranking')::int AS rankings,
            count(*) FILTER (WHERE j.is_current AND j.kind = 'abstention')::int AS abstentions,
            count(*) FILTER (WHERE j.is_current AND j.kind = 'contest')::int AS contests,
            count(*) FILTER (WHERE j.revises IS NOT NULL)::int AS revisions,
            (SELECT count(*) FROM assignments WHERE evaluation_id = $1 AND judged_at IS NULL)::int AS open_assignments,
            (SELECT count(*) FROM subjects WHERE evaluation_id = $1)::int AS subjects,
            (SELECT count(*) FROM subjects WHERE evaluation_id = $1 AND available)::int AS available_subjects,
            (SELECT count(*) FROM items WHERE evaluation_id = $1 AND moderation = 'accepted')::int AS items,
            (SELECT count(*) FROM items WHERE evaluation_id = $1 AND moderation = 'pending')::int AS pending_items
       FROM judgments j WHERE j.evaluation_id = $1`,
    [evaluationId],
  );
  return rows[0] as ProgressRow;
}

/** How many times each compared subject pair was judged (current pairwise judgments). */
export async function pairCoverage(db: Queryable, evaluationId: string): Promise<number[]> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM judgments WHERE evaluation_id = $1 AND kind = 'pairwise' AND is_current
      GROUP BY LEAST(subject_a, subject_b), GREATEST(subject_a, subject_b) ORDER BY 1`,
    [evaluationId],
  );
  return rows.map((r) => r.n);
}
