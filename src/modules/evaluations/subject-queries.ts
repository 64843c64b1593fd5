import type { SubjectKind } from "../../core/evaluation.ts";
import type { Queryable } from "../../platform/db/pool.ts";

export interface SubjectRow {
  id: string;
  name: string;
  kind: SubjectKind;
  organisation: string | null;
  context: Record<string, unknown>;
  artifacts: unknown[];
  available: boolean;
  unavailable_reason: string | null;
}

export interface NewSubject {
  name: string;
  kind: SubjectKind;
  organisation?: string | null | undefined;
  context?: Record<string, unknown> | undefined;
  artifacts?: unknown[] | undefined;
}

export async function insertSubject(db: Queryable, evaluationId: string, s: NewSubject): Promise<SubjectRow> {
  const { rows } = await db.query<SubjectRow>(
    `INSERT INTO subjects (evaluation_id, name, kind, organisation, context, artifacts) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (evaluation_id, name) DO UPDATE SET name = EXCLUDED.name
     RETURNING id, name, kind, organisation, context, artifacts, available, unavailable_reason`,
    [evaluationId, s.name, s.kind, s.organisation ?? null, JSON.stringify(s.context ?? {}), JSON.stringify(s.artifacts ?? [])],
  );
  return rows[0] as SubjectRow;
}

export async function listSubjects(db: Queryable, evaluationId: string): Promise<SubjectRow[]> {
  const { rows } = await db.query<SubjectRow>(
    "SELECT id, name, kind, organisation, context, artifacts, available, unavailable_reason FROM subjects WHERE evaluation_id = $1 ORDER BY name",
    [evaluationId],
  );
  return rows;
}

export async function subjectsByIds(db: Queryable, ids: readonly string[]): Promise<Map<string, SubjectRow>> {
  const { rows } = await db.query<SubjectRow>(
    "SELECT id, name, kind, organisation, context, artifacts, available, unavailable_reason FROM subjects WHERE id = ANY($1::uuid[])",
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row]));
}
