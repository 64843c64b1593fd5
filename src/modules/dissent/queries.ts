/** Minority reports, demands and the abstention / contest counts (migration 0003). */
import type { DemandProgress } from "../../core/dissent.ts";
import { participantMayUseSql } from "../../platform/consent-sql.ts";
import type { Queryable } from "../../platform/db/pool.ts";

export interface MinorityReportRow {
  id: string;
  evaluation_id: string;
  author_participant_id: string;
  title: string;
  text: string;
  created_at: Date;
}

export interface SignatureRow {
  participant_id: string;
  signed_at: Date;
}

export interface DemandRow {
  id: string;
  evaluation_id: string;
  author_participant_id: string;
  title: string;
  text: string;
  created_at: Date;
  owed_since: Date | null;
  answer: string | null;
  answered_at: Date | null;
  progress: DemandProgress;
  progress_reason: string | null;
}

export interface MilestoneRow {
  id: string;
  demand_id: string;
  title: string;
  due_at: Date | null;
  done_at: Date | null;
}

const REPORT_COLUMNS = "id, evaluation_id, author_participant_id, title, text, created_at";
const DEMAND_COLUMNS = "id, evaluation_id, author_participant_id, title, text, created_at, owed_since, answer, answered_at, progress, progress_reason";

export async function insertMinorityReport(db: Queryable, r: { evaluationId: string; authorId: string; title: string; text: string; at: Date }): Promise<MinorityReportRow> {
  const { rows } = await db.query<MinorityReportRow>(
    `INSERT INTO minority_reports (evaluation_id, author_participant_id, title, text, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${REPORT_COLUMNS}`,
    [r.evaluationId, r.authorId, r.title, r.text, r.at],
  );
  return rows[0] as MinorityReportRow;
}

export async function listMinorityReports(db: Queryable, evaluationId: string): Promise<MinorityReportRow[]> {
  const { rows } = await db.query<MinorityReportRow>(`SELECT ${REPORT_COLUMNS} FROM minority_reports WHERE evaluation_id = $1 ORDER BY created_at, id`, [evaluationId]);
  return rows;
}

export async function findMinorityReport(db: Queryable, evaluationId: string, id: string): Promise<MinorityReportRow | undefined> {
  const { rows } = await db.query<MinorityReportRow>(`SELECT ${REPORT_COLUMNS} FROM minority_reports WHERE evaluation_id = $1 AND id = $2 FOR SHARE`, [evaluationId, id]);
  return rows[0];
}

export async function signaturesOf(db: Queryable, reportId: string): Promise<SignatureRow[]> {
  const { rows } = await db.query<SignatureRow>("SELECT participant_id, signed_at FROM minority_report_signatures WHERE report_id = $1 ORDER BY signed_at", [reportId]);
  return rows;
}

/** Inserts a signature; false when this participant had signed already. */
export async function insertSignature(db: Queryable, reportId: string, participantId: string, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    "INSERT INTO minority_report_signatures (report_id, participant_id, signed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    [reportId, participantId, at],
  );
  return rowCount === 1;
}

export async function insertDemand(db: Queryable, d: { evaluationId: string; authorId: string; title: string; text: string; at: Date; owedSince: Date | null }): Promise<DemandRow> {
  const { rows } = await db.query<DemandRow>(
    `INSERT INTO demands (evaluation_id, author_participant_id, title, text, created_at, owed_since) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${DEMAND_COLUMNS}`,
    [d.evaluationId, d.authorId, d.title, d.text, d.at, d.owedSince],
  );
  return rows[0] as DemandRow;
}

export async function listDemands(db: Queryable, evaluationId: string): Promise<DemandRow[]> {
  const { rows } = await db.query<DemandRow>(`SELECT ${DEMAND_COLUMNS} FROM demands WHERE evaluation_id = $1 ORDER BY created_at, id`, [evaluationId]);
  return rows;
}

export async function lockDemand(db: Queryable, evaluationId: string, id: string): Promise<DemandRow | undefined> {
  const { rows } = await db.query<DemandRow>(`SELECT ${DEMAND_COLUMNS} FROM demands WHERE evaluation_id = $1 AND id = $2 FOR UPDATE`, [evaluationId, id]);
  return rows[0];
}

export async function endorsementCount(db: Queryable, demandId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM demand_endorsements WHERE demand_id = $1", [demandId]);
  return rows[0]?.n ?? 0;
}

export async function endorsersOf(db: Queryable, demandId: string): Promise<SignatureRow[]> {
  const { rows } = await db.query<SignatureRow>("SELECT participant_id, endorsed_at AS signed_at FROM demand_endorsements WHERE demand_id = $1 ORDER BY endorsed_at", [demandId]);
  return rows;
}

export async function insertEndorsement(db: Queryable, demandId: string, participantId: string, at: Date): Promise<void> {
  await db.query("INSERT INTO demand_endorsements (demand_id, participant_id, endorsed_at) VALUES ($1, $2, $3)", [demandId, participantId, at]);
}

export async function updateDemand(
  db: Queryable,
  id: string,
  change: { owedSince?: Date; answer?: string; answeredAt?: Date; progress?: DemandProgress; progressReason?: string | null },
): Promise<void> {
  await db.query(
    `UPDATE demands SET owed_since = COALESCE(owed_since, $2), answer = COALESCE($3, answer), answered_at = COALESCE($4, answered_at),
        progress = COALESCE($5, progress), progress_reason = CASE WHEN $5::text IS NULL THEN progress_reason ELSE $6 END
      WHERE id = $1`,
    [id, change.owedSince ?? null, change.answer ?? null, change.answeredAt ?? null, change.progress ?? null, change.progressReason ?? null],
  );
}

export async function insertMilestone(db: Queryable, m: { demandId: string; title: string; dueAt: Date | null; at: Date }): Promise<MilestoneRow> {
  const { rows } = await db.query<MilestoneRow>(
    "INSERT INTO demand_milestones (demand_id, title, due_at, created_at) VALUES ($1, $2, $3, $4) RETURNING id, demand_id, title, due_at, done_at",
    [m.demandId, m.title, m.dueAt, m.at],
  );
  return rows[0] as MilestoneRow;
}

/** Marks a milestone done (once); false when there is no such open milestone on this demand. */
export async function completeMilestone(db: Queryable, demandId: string, milestoneId: string, at: Date): Promise<boolean> {
  const { rowCount } = await db.query("UPDATE demand_milestones SET done_at = $3 WHERE demand_id = $1 AND id = $2 AND done_at IS NULL", [demandId, milestoneId, at]);
  return rowCount === 1;
}

export async function milestonesOf(db: Queryable, demandIds: readonly string[]): Promise<MilestoneRow[]> {
  const { rows } = await db.query<MilestoneRow>(
    "SELECT id, demand_id, title, due_at, done_at FROM demand_milestones WHERE demand_id = ANY($1::uuid[]) ORDER BY created_at, id",
    [demandIds],
  );
  return rows;
}

/** Items with the author's current consent (null author: written by the organiser), for labels. */
export async function itemLabels(db: Queryable, evaluationId: string): Promise<{ id: string; label: string; author_participant_id: string | null; author_scopes: string[] | null }[]> {
  const { rows } = await db.query<{ id: string; label: string; author_participant_id: string | null; author_scopes: string[] | null }>(
    `SELECT i.id, COALESCE(NULLIF(i.title, ''), left(i.prompt, 80)) AS label, i.author_participant_id, c.scopes AS author_scopes
       FROM items i LEFT JOIN consents c ON c.participant_id = i.author_participant_id WHERE i.evaluation_id = $1 ORDER BY i.created_at, i.id`,
    [evaluationId],
  );
  return rows;
}

export interface DissentTotalRow {
  kind: "abstention" | "contest";
  label: string;
  n: number;
  /** distinct people who gave this reason or contested this target */
  people: number;
}

/**
 * Totals for the card: abstention reasons and contest targets with their counts and distinct people, counting
 * only judgments whose author's current consent allows the view (`mayUseSql`, the twin of core's `mayUse`).
 */
export async function dissentTotals(db: Queryable, evaluationId: string): Promise<DissentTotalRow[]> {
  const { rows } = await db.query<DissentTotalRow>(
    `SELECT j.kind, CASE WHEN j.kind = 'abstention' THEN j.body->>'reason' ELSE j.body->>'target' END AS label,
            count(*)::int AS n, count(DISTINCT j.participant_id)::int AS people
       FROM judgments j LEFT JOIN consents c ON c.participant_id = j.participant_id
      WHERE j.evaluation_id = $1 AND j.is_current AND j.kind IN ('abstention', 'contest') AND ${participantMayUseSql("c.scopes", "'aggregate'")}
      GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2`,
    [evaluationId],
  );
  return rows;
}
