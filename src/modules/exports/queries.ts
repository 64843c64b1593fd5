/** What the export service reads and the notices owed to recipients after a revocation (migration 0003). */
import type { JudgmentBody } from "../../core/judgment.ts";
import type { Queryable } from "../../platform/db/pool.ts";

export interface ExportSourceRow {
  judgment_id: string;
  participant_id: string;
  item_id: string;
  item_text: string;
  body: JudgmentBody;
  rationale: string | null;
  charter_version: number;
  created_at: Date;
  /** the contributor's consent as it stands now (null: none recorded) */
  current_scopes: string[] | null;
  /** who wrote the item: a participant (whose consent decides whether its text may leave) or the organiser */
  item_author: "participant" | "organiser";
  item_author_scopes: string[] | null;
  responses: { responseId: string; subjectId: string; subjectName: string; text: string }[];
}

/** Current judgments with the item text ('' when none was recorded), the responses shown (in the order shown) and live consent. */
export async function exportSource(db: Queryable, evaluationId: string): Promise<ExportSourceRow[]> {
  const { rows } = await db.query<ExportSourceRow>(
    `SELECT j.id AS judgment_id, j.participant_id, COALESCE(j.item_id::text, '') AS item_id, COALESCE(i.prompt, '') AS item_text,
            j.body, j.rationale, j.charter_version, j.created_at, c.scopes AS current_scopes,
            CASE WHEN i.author_participant_id IS NULL THEN 'organiser' ELSE 'participant' END AS item_author, ic.scopes AS item_author_scopes,
            COALESCE((SELECT json_agg(json_build_object('responseId', r.id, 'subjectId', r.subject_id, 'subjectName', s.name, 'text', COALESCE(r.meta->>'originalText', r.text)) ORDER BY shown.ord)
                        FROM unnest(j.response_ids) WITH ORDINALITY AS shown(response_id, ord)
                        JOIN responses r ON r.id = shown.response_id JOIN subjects s ON s.id = r.subject_id),
                     -- imported battles may name their subjects without any stored item or response
                     (SELECT json_agg(json_build_object('responseId', '', 'subjectId', s.id, 'subjectName', s.name, 'text', '') ORDER BY side.ord)
                        FROM unnest(ARRAY[j.subject_a, j.subject_b]) WITH ORDINALITY AS side(subject_id, ord) JOIN subjects s ON s.id = side.subject_id),
                     '[]'::json) AS responses
       FROM judgments j LEFT JOIN items i ON i.id = j.item_id LEFT JOIN consents c ON c.participant_id = j.participant_id
       LEFT JOIN consents ic ON ic.participant_id = i.author_participant_id
      WHERE j.evaluation_id = $1 AND j.is_current ORDER BY j.seq`,
    [evaluationId],
  );
  return rows;
}

/** Scopes each charter version offered, by version. */
export async function scopesByCharterVersion(db: Queryable, evaluationId: string): Promise<Map<number, string[]>> {
  const { rows } = await db.query<{ version: number; scopes: string[] }>(
    "SELECT version, ARRAY(SELECT jsonb_array_elements_text(content->'scopes')) AS scopes FROM charters WHERE evaluation_id = $1",
    [evaluationId],
  );
  return new Map(rows.map((row) => [row.version, row.scopes]));
}

export async function setContributorPseudonyms(db: Queryable, exportId: string, pseudonyms: ReadonlyMap<string, string>): Promise<void> {
  if (pseudonyms.size === 0) return;
  await db.query(
    `UPDATE export_contributors ec SET pseudonym = src.pseudonym FROM (SELECT unnest($2::uuid[]) AS participant_id, unnest($3::text[]) AS pseudonym) src
      WHERE ec.export_id = $1 AND ec.participant_id = src.participant_id`,
    [exportId, [...pseudonyms.keys()], [...pseudonyms.values()]],
  );
}

/** An export as the audit log shows it: the row, who asked by name, and how many people it included. */
export type AuditRow = Omit<ExportRow, "evaluation_id" | "requested_by"> & { requested_by_name: string; contributors: number };

/** The public audit log: every export, who asked (an organiser's display name or the CLI operator), and its counts. */
export async function exportAudit(db: Queryable, evaluationId: string): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>(
    `SELECT e.id, e.created_at, COALESCE(u.name, e.requested_by, 'unknown') AS requested_by_name, e.scope, e.recipient, e.purpose, e.format,
            e.included_count, e.excluded, e.content_hash, e.charter_version,
            (SELECT count(*)::int FROM export_contributors ec WHERE ec.export_id = e.id) AS contributors
       FROM exports e LEFT JOIN "user" u ON u.id = e.requested_by
      WHERE e.evaluation_id = $1 ORDER BY e.created_at, e.id`,
    [evaluationId],
  );
  return rows;
}

export interface MyExportRow {
  id: string;
  created_at: Date;
  scope: string;
  recipient: string;
  purpose: string;
  format: string;
  contributions: number;
  pseudonym: string | null;
  /** the first revocation of this export's scope after the export, if any */
  revoked_at: Date | null;
  /** the latest notice covering this participant (to them or to all) recorded after that revocation */
  noticed_at: Date | null;
  notice_note: string | null;
}

/** Every export that included this participant, with whether a revocation since then owes the recipient a notice. */
export async function exportsOfParticipant(db: Queryable, participantId: string): Promise<MyExportRow[]> {
  const { rows } = await db.query<MyExportRow>(
    `WITH mine AS (
       SELECT e.id, e.created_at, e.scope, e.recipient, e.purpose, e.format, ec.contributions, ec.pseudonym,
              (SELECT min(ce.at) FROM consent_events ce WHERE ce.participant_id = $1 AND ce.at >= e.created_at AND e.scope = ANY(ce.revoked)) AS revoked_at
         FROM exports e JOIN export_contributors ec ON ec.export_id = e.id WHERE ec.participant_id = $1)
     SELECT m.*, n.noticed_at, n.note AS notice_note
       FROM mine m LEFT JOIN LATERAL (
         SELECT noticed_at, note FROM export_notices en
          WHERE en.export_id = m.id AND (en.participant_id = $1 OR en.participant_id IS NULL) AND m.revoked_at IS NOT NULL AND en.noticed_at >= m.revoked_at
          ORDER BY noticed_at DESC LIMIT 1) n ON true
      ORDER BY m.created_at, m.id`,
    [participantId],
  );
  return rows;
}

export async function findExportContributor(db: Queryable, exportId: string, pseudonym: string): Promise<string | undefined> {
  const { rows } = await db.query<{ participant_id: string }>("SELECT participant_id FROM export_contributors WHERE export_id = $1 AND pseudonym = $2", [exportId, pseudonym]);
  return rows[0]?.participant_id;
}

export async function findExport(db: Queryable, evaluationId: string, exportId: string): Promise<{ id: string } | undefined> {
  const { rows } = await db.query<{ id: string }>("SELECT id FROM exports WHERE evaluation_id = $1 AND id = $2", [evaluationId, exportId]);
  return rows[0];
}

export interface NoticeRow {
  id: string;
  export_id: string;
  participant_id: string | null;
  note: string;
  noticed_at: Date;
}

/** Records a notice at the database's clock, the same clock as consent events and exports (they are compared). */
export async function insertNotice(db: Queryable, n: { exportId: string; participantId: string | null; note: string; recordedBy: string | null }): Promise<NoticeRow> {
  const { rows } = await db.query<NoticeRow>(
    "INSERT INTO export_notices (export_id, participant_id, note, noticed_at, recorded_by) VALUES ($1, $2, $3, clock_timestamp(), $4) RETURNING id, export_id, participant_id, note, noticed_at",
    [n.exportId, n.participantId, n.note, n.recordedBy],
  );
  return rows[0] as NoticeRow;
}

export interface PolisStatementSource {
  id: string;
  author_participant_id: string | null;
  author_role: "participant" | "organiser" | "imported";
  text: string;
  moderation: "accepted" | "rejected" | "unmoderated";
  created_at: Date;
  /** the author's live consent, or for an imported statement the scopes it was imported with */
  author_scopes: string[] | null;
}

export interface PolisVoteSource {
  statement_id: string;
  participant_id: string;
  vote: "agree" | "disagree" | "pass";
  created_at: Date;
  voter_scopes: string[] | null;
}

/** Statements (migration 0002) with their author's live consent, in creation order. */
export async function polisStatements(db: Queryable, evaluationId: string): Promise<PolisStatementSource[]> {
  const { rows } = await db.query<PolisStatementSource>(
    `SELECT s.id, s.author_participant_id, s.author_role, s.text, s.moderation, s.created_at,
            CASE s.author_role WHEN 'imported' THEN s.import_scopes ELSE c.scopes END AS author_scopes
       FROM statements s LEFT JOIN consents c ON c.participant_id = s.author_participant_id
      WHERE s.evaluation_id = $1 AND NOT s.is_meta ORDER BY s.seq`,
    [evaluationId],
  );
  return rows;
}

/** Every statement vote event (history included) with the voter's live consent. */
export async function polisVotes(db: Queryable, evaluationId: string): Promise<PolisVoteSource[]> {
  const { rows } = await db.query<PolisVoteSource>(
    `SELECT v.statement_id, v.participant_id, v.vote, v.created_at, c.scopes AS voter_scopes
       FROM statement_votes v LEFT JOIN consents c ON c.participant_id = v.participant_id
      WHERE v.evaluation_id = $1 ORDER BY v.id`,
    [evaluationId],
  );
  return rows;
}

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
