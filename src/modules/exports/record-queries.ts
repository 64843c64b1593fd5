import type { Queryable } from "../../platform/db/pool.ts";

export interface ExportRow {
  id: string;
  evaluation_id: string;
  requested_by: string | null;
  scope: string;
  recipient: string;
  purpose: string;
  format: string;
  included_count: number;
  excluded: Record<string, number>;
  content_hash: string;
  charter_version: number;
  created_at: Date;
}

const EXPORT_COLUMNS = "id, evaluation_id, requested_by, scope, recipient, purpose, format, included_count, excluded, content_hash, charter_version, created_at";

export async function recordExport(
  db: Queryable,
  e: Omit<ExportRow, "id" | "created_at">,
  contributors: ReadonlyMap<string, number>,
): Promise<ExportRow> {
  const { rows } = await db.query<ExportRow>(
    `INSERT INTO exports (evaluation_id, requested_by, scope, recipient, purpose, format, included_count, excluded, content_hash, charter_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${EXPORT_COLUMNS}`,
    [e.evaluation_id, e.requested_by, e.scope, e.recipient, e.purpose, e.format, e.included_count, JSON.stringify(e.excluded), e.content_hash, e.charter_version],
  );
  const row = rows[0] as ExportRow;
  if (contributors.size > 0) {
    await db.query(
      `INSERT INTO export_contributors (export_id, participant_id, contributions)
       SELECT $1, unnest($2::uuid[]), unnest($3::int[])`,
      [row.id, [...contributors.keys()], [...contributors.values()]],
    );
  }
  return row;
}
