import type { Queryable } from "../../platform/db/pool.ts";

export type StatementModeration = "accepted" | "rejected" | "unmoderated";
export type ModerationMode = "strict" | "permissive";
export type StatementVote = "agree" | "disagree" | "pass";

export interface StatementRow {
  id: string;
  seq: number;
  evaluation_id: string;
  text: string;
  author_role: "participant" | "organiser" | "imported";
  author_participant_id: string | null;
  moderation: StatementModeration;
  is_meta: boolean;
  external_ref: string | null;
  created_at: Date;
  /** whose consent decides its use (see `mayUse`): the author's current scopes, an import's scopes, or null */
  consent_scopes: string[] | null;
}

export interface StatementTally {
  statement_id: string;
  agree: number;
  disagree: number;
  pass: number;
}

export interface VoteRow {
  id: number;
  statement_id: string;
  vote: StatementVote;
  phase: string;
  is_current: boolean;
  created_at: Date;
}

const STATEMENT_COLUMNS = `id, seq, evaluation_id, text, author_role, author_participant_id, moderation, is_meta, external_ref, created_at,
  CASE author_role WHEN 'imported' THEN import_scopes
                   WHEN 'participant' THEN (SELECT c.scopes FROM consents c WHERE c.participant_id = statements.author_participant_id) END AS consent_scopes`;

export async function moderationMode(db: Queryable, evaluationId: string): Promise<ModerationMode> {
  const { rows } = await db.query<{ statement_moderation: ModerationMode }>(
    "SELECT statement_moderation FROM deliberation_settings WHERE evaluation_id = $1",
    [evaluationId],
  );
  return rows[0]?.statement_moderation ?? "permissive";
}

export async function setModerationMode(db: Queryable, evaluationId: string, mode: ModerationMode): Promise<void> {
  await db.query(
    `INSERT INTO deliberation_settings (evaluation_id, statement_moderation) VALUES ($1, $2)
     ON CONFLICT (evaluation_id) DO UPDATE SET statement_moderation = EXCLUDED.statement_moderation, updated_at = now()`,
    [evaluationId, mode],
  );
}

/** The moderation states shown (and routed) under a mode. */
export function shownStates(mode: ModerationMode): StatementModeration[] {
  return mode === "strict" ? ["accepted"] : ["accepted", "unmoderated"];
}

export async function insertStatement(
  db: Queryable,
  s: {
    evaluationId: string;
    text: string;
    authorRole: StatementRow["author_role"];
    authorParticipantId: string | null;
    moderation: StatementModeration;
    isMeta?: boolean;
    externalRef?: string | null;
    createdAt?: Date | null;
    /** for an imported statement: the consent scopes it was imported with */
    importScopes?: readonly string[] | null;
  },
): Promise<StatementRow> {
  const { rows } = await db.query<StatementRow>(
    `INSERT INTO statements (evaluation_id, text, author_role, author_participant_id, moderation, is_meta, external_ref, created_at, import_scopes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8, now()), $9) RETURNING ${STATEMENT_COLUMNS}`,
    [s.evaluationId, s.text, s.authorRole, s.authorParticipantId, s.moderation, s.isMeta ?? false, s.externalRef ?? null, s.createdAt ?? null, s.importScopes ?? null],
  );
  return rows[0] as StatementRow;
}

export async function findStatement(db: Queryable, evaluationId: string, id: string, lock = false): Promise<StatementRow | undefined> {
  const { rows } = await db.query<StatementRow>(
    `SELECT ${STATEMENT_COLUMNS} FROM statements WHERE evaluation_id = $1 AND id = $2${lock ? " FOR UPDATE" : ""}`,
    [evaluationId, id],
  );
  return rows[0];
}

/** Statements of an evaluation in the given moderation states (all when none given), oldest first. */
export async function listStatements(db: Queryable, evaluationId: string, states?: readonly StatementModeration[]): Promise<StatementRow[]> {
  const filter = states ? " AND moderation = ANY($2::text[])" : "";
  const { rows } = await db.query<StatementRow>(
    `SELECT ${STATEMENT_COLUMNS} FROM statements WHERE evaluation_id = $1${filter} ORDER BY seq`,
    states ? [evaluationId, states] : [evaluationId],
  );
  return rows;
}

export async function setStatementModeration(db: Queryable, id: string, state: StatementModeration): Promise<void> {
  await db.query("UPDATE statements SET moderation = $2 WHERE id = $1", [id, state]);
}

/** Records a vote: the participant's earlier vote on the statement stays as history, not current. */
export async function recordVote(db: Queryable, v: { evaluationId: string; statementId: string; participantId: string; vote: StatementVote; phase: string }): Promise<VoteRow> {
  await db.query("UPDATE statement_votes SET is_current = false WHERE statement_id = $1 AND participant_id = $2 AND is_current", [v.statementId, v.participantId]);
  const { rows } = await db.query<VoteRow>(
    `INSERT INTO statement_votes (evaluation_id, statement_id, participant_id, vote, phase) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, statement_id, vote, phase, is_current, created_at`,
    [v.evaluationId, v.statementId, v.participantId, v.vote, v.phase],
  );
  return rows[0] as VoteRow;
}

export async function voteHistory(db: Queryable, participantId: string, statementId?: string): Promise<VoteRow[]> {
  const filter = statementId ? " AND statement_id = $2" : "";
  const { rows } = await db.query<VoteRow>(
    `SELECT id, statement_id, vote, phase, is_current, created_at FROM statement_votes WHERE participant_id = $1${filter} ORDER BY id`,
    statementId ? [participantId, statementId] : [participantId],
  );
  return rows;
}

/** Current votes per statement, counting only participants whose consent now includes `aggregate`. */
export async function statementTallies(db: Queryable, evaluationId: string): Promise<StatementTally[]> {
  const { rows } = await db.query<StatementTally>(
    `SELECT v.statement_id,
            count(*) FILTER (WHERE v.vote = 'agree')::int AS agree,
            count(*) FILTER (WHERE v.vote = 'disagree')::int AS disagree,
            count(*) FILTER (WHERE v.vote = 'pass')::int AS pass
       FROM statement_votes v JOIN consents c ON c.participant_id = v.participant_id AND 'aggregate' = ANY (c.scopes)
      WHERE v.evaluation_id = $1 AND v.is_current
      GROUP BY v.statement_id`,
    [evaluationId],
  );
  return rows;
}

/** The current votes of the participants whose consent now includes `aggregate`, in vote order. */
export async function aggregatableVotes(db: Queryable, evaluationId: string): Promise<{ participant_id: string; statement_id: string; vote: StatementVote; created_at: Date }[]> {
  const { rows } = await db.query<{ participant_id: string; statement_id: string; vote: StatementVote; created_at: Date }>(
    `SELECT v.participant_id, v.statement_id, v.vote, v.created_at
       FROM statement_votes v JOIN consents c ON c.participant_id = v.participant_id AND 'aggregate' = ANY (c.scopes)
      WHERE v.evaluation_id = $1 AND v.is_current ORDER BY v.id`,
    [evaluationId],
  );
  return rows;
}

/** Imports many current votes at once (an import has no vote history beyond the latest vote). */
export async function insertVotesBulk(
  db: Queryable,
  evaluationId: string,
  votes: readonly { statementId: string; participantId: string; vote: StatementVote; at?: Date | null }[],
): Promise<number> {
  const chunk = 5000;
  let inserted = 0;
  for (let start = 0; start < votes.length; start += chunk) {
    const part = votes.slice(start, start + chunk);
    const result = await db.query(
      `INSERT INTO statement_votes (evaluation_id, statement_id, participant_id, vote, phase, created_at)
       SELECT $1, t.s, t.p, t.v, 'imported', COALESCE(t.at, now())
         FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[]) WITH ORDINALITY AS t(s, p, v, at, n) ORDER BY t.n`,
      [evaluationId, part.map((v) => v.statementId), part.map((v) => v.participantId), part.map((v) => v.vote), part.map((v) => v.at ?? null)],
    );
    inserted += result.rowCount ?? 0;
  }
  return inserted;
}

export async function externalRefsTaken(db: Queryable, evaluationId: string, refs: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ external_ref: string }>(
    "SELECT external_ref FROM statements WHERE evaluation_id = $1 AND external_ref = ANY($2::text[]) ORDER BY external_ref",
    [evaluationId, refs],
  );
  return rows.map((r) => r.external_ref);
}
