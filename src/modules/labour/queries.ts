/** Work sessions (the judged assignments), payouts and sponsor ratings (migration 0003). */
import type { SponsorRating } from "../../core/labour.ts";
import type { Queryable } from "../../platform/db/pool.ts";
import { participantMayUseSql } from "../../platform/consent-sql.ts";

export interface WorkSessionRow {
  participant_id: string;
  served_at: Date;
  judged_at: Date;
}

export interface PayoutRow {
  id: string;
  participant_id: string;
  amount_minor: number;
  currency: string;
  note: string;
  paid_at: Date;
}

/** Every judged assignment of an evaluation (or of one participant): the server-measured work sessions. */
export async function workSessions(db: Queryable, evaluationId: string, participantId?: string): Promise<WorkSessionRow[]> {
  const { rows } = await db.query<WorkSessionRow>(
    `SELECT participant_id, served_at, judged_at FROM assignments
      WHERE evaluation_id = $1 AND judged_at IS NOT NULL AND ($2::uuid IS NULL OR participant_id = $2) ORDER BY served_at`,
    [evaluationId, participantId ?? null],
  );
  return rows;
}

export async function insertPayout(
  db: Queryable,
  p: { evaluationId: string; participantId: string; amountMinor: number; currency: string; note: string; paidAt: Date; recordedBy: string | null },
): Promise<PayoutRow> {
  const { rows } = await db.query<PayoutRow>(
    `INSERT INTO payouts (evaluation_id, participant_id, amount_minor, currency, note, paid_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING id, participant_id, amount_minor, currency, note, paid_at`,
    [p.evaluationId, p.participantId, p.amountMinor, p.currency, p.note, p.paidAt, p.recordedBy],
  );
  return rows[0] as PayoutRow;
}

export async function payoutsOf(db: Queryable, evaluationId: string, participantId?: string): Promise<PayoutRow[]> {
  const { rows } = await db.query<PayoutRow>(
    `SELECT id, participant_id, amount_minor, currency, note, paid_at FROM payouts
      WHERE evaluation_id = $1 AND ($2::uuid IS NULL OR participant_id = $2) ORDER BY paid_at, id`,
    [evaluationId, participantId ?? null],
  );
  return rows;
}

export async function upsertSponsorRating(db: Queryable, evaluationId: string, rating: SponsorRating, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO sponsor_ratings (participant_id, evaluation_id, communication, pay, fairness, promptness, rated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (participant_id) DO UPDATE SET communication = EXCLUDED.communication, pay = EXCLUDED.pay, fairness = EXCLUDED.fairness,
       promptness = EXCLUDED.promptness, rated_at = EXCLUDED.rated_at`,
    [rating.participantId, evaluationId, rating.communication, rating.pay, rating.fairness, rating.promptness, at],
  );
}

/** The ratings the public summary may use: those whose rater's current consent covers `aggregate` (every participant may rate; only these count). */
export async function sponsorRatings(db: Queryable, evaluationId: string): Promise<SponsorRating[]> {
  const { rows } = await db.query<SponsorRating>(
    `SELECT r.participant_id AS "participantId", r.communication, r.pay, r.fairness, r.promptness
       FROM sponsor_ratings r LEFT JOIN consents c ON c.participant_id = r.participant_id
      WHERE r.evaluation_id = $1 AND ${participantMayUseSql("c.scopes", "'aggregate'")}
      ORDER BY r.rated_at`,
    [evaluationId],
  );
  return rows;
}

/** A pseudonym names a joined participant first (an imported one may spell the same name in its own namespace). */
export async function findParticipantByPseudonym(db: Queryable, evaluationId: string, pseudonym: string): Promise<{ id: string; pseudonym: string } | undefined> {
  const { rows } = await db.query<{ id: string; pseudonym: string }>("SELECT id, pseudonym FROM participants WHERE evaluation_id = $1 AND pseudonym = $2 ORDER BY imported LIMIT 1", [evaluationId, pseudonym]);
  return rows[0];
}

export async function participantPseudonyms(db: Queryable, evaluationId: string): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; pseudonym: string }>("SELECT id, pseudonym FROM participants WHERE evaluation_id = $1", [evaluationId]);
  return new Map(rows.map((row) => [row.id, row.pseudonym]));
}

/** Participants with at least one measured work session. */
export async function workerCount(db: Queryable, evaluationId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(DISTINCT participant_id)::int AS n FROM assignments WHERE evaluation_id = $1 AND judged_at IS NOT NULL", [evaluationId]);
  return rows[0]?.n ?? 0;
}
