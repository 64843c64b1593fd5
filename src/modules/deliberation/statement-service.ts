/**
 * Statements: short claims that participants (and organisers) write and participants vote on with
 * agree, disagree or pass. The last vote counts; every vote is kept. Moderation states are accepted,
 * rejected and unmoderated; the evaluation's mode decides what is shown and voted on: strict (accepted
 * only) or permissive (unmoderated too). Rejections are recorded in the public moderation log.
 */
import { mayUse, PUBLIC_VIEW_USE } from "../../core/consent.ts";
import { recordAudit } from "../evaluations/audit.ts";
import { AppError } from "../../core/errors.ts";
import { contributorMarker } from "../../core/k-anonymity.ts";
import { inTransaction, type Queryable } from "../../platform/db/pool.ts";
import {
  findStatement,
  insertStatement,
  listStatements,
  moderationMode,
  recordVote,
  setModerationMode,
  setStatementModeration,
  shownStates,
  statementTallies,
  voteHistory,
  type ModerationMode,
  type StatementModeration,
  type StatementRow,
  type StatementVote,
  type VoteRow,
} from "./statement-queries.ts";
import { insertModerationAction } from "./thread-queries.ts";
import type { EvaluationRow } from "../../platform/records.ts";
import { findParticipantByUser } from "../../platform/records.ts";
import { type Services } from "../../platform/context.ts";
import { requireEvaluation, requireParticipant, requireSignedIn, type Actor } from "../../platform/guards.ts";
import { requireAuthor, requireCharter, requireContributor, requireOrganiser, requireReader, requireText } from "../../platform/guards.ts";

const MODERATION_ACTION = { accepted: "accept", rejected: "reject", unmoderated: "unmoderate" } as const;

export async function getSettings(s: Services, actor: Actor, idOrSlug: string) {
  const { evaluation } = await requireReader(s.pool, idOrSlug, actor);
  return { statementModeration: await moderationMode(s.pool, evaluation.id) };
}

export async function updateSettings(s: Services, actor: Actor, idOrSlug: string, mode: ModerationMode) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    await requireOrganiser(db, evaluation, actor);
    await setModerationMode(db, evaluation.id, mode);
    await recordAudit(db, evaluation.id, actor, "deliberation.settings_changed", null, { statementModeration: mode });
    return { statementModeration: mode };
  });
}

/** A participant's statement waits for moderation; an organiser's is accepted as written. */
export async function submitStatement(s: Services, actor: Actor, idOrSlug: string, text: string) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const author = await requireAuthor(db, evaluation, actor);
    const clean = requireText("text", text, (await requireCharter(db, evaluation.id)).content.textLimits.statement);
    const statement = await insertStatement(db, {
      evaluationId: evaluation.id,
      text: clean,
      authorRole: author.role,
      authorParticipantId: author.participant?.id ?? null,
      moderation: author.role === "organiser" ? "accepted" : "unmoderated",
    });
    return { statement: presentStatement(statement, null, null, author.participant?.id ?? null) };
  });
}

/** Whether a statement may appear in the evaluation's views (shown, routed, in the map): its author's consent decides. */
export function statementInView(st: Pick<StatementRow, "author_role" | "consent_scopes">): boolean {
  return mayUse({ author: st.author_role }, st.consent_scopes, PUBLIC_VIEW_USE);
}

/** Checks the statement may be voted on (and routed) under the evaluation's moderation mode. */
export async function requireVotable(db: Queryable, evaluation: EvaluationRow, statementId: string, lock = false): Promise<StatementRow> {
  const statement = await findStatement(db, evaluation.id, statementId, lock);
  if (!statement || !statementInView(statement)) throw new AppError("not_found", "no such statement in this evaluation", "statementId");
  const mode = await moderationMode(db, evaluation.id);
  if (!shownStates(mode).includes(statement.moderation)) {
    throw new AppError("statement_not_votable", `this statement is ${statement.moderation}; under ${mode} moderation it cannot be voted on`, "statementId");
  }
  return statement;
}

export async function voteOnStatement(s: Services, actor: Actor, idOrSlug: string, statementId: string, vote: StatementVote) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const { participant } = await requireContributor(db, evaluation, actor);
    const statement = await requireVotable(db, evaluation, statementId, true);
    const recorded = await recordVote(db, { evaluationId: evaluation.id, statementId: statement.id, participantId: participant.id, vote, phase: evaluation.phase });
    return { vote: presentVote(recorded), history: (await voteHistory(db, participant.id, statement.id)).map(presentVote) };
  });
}

export async function moderateStatement(s: Services, actor: Actor, idOrSlug: string, statementId: string, state: StatementModeration, reason?: string) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    await requireOrganiser(db, evaluation, actor);
    const statement = await findStatement(db, evaluation.id, statementId, true);
    if (!statement) throw new AppError("not_found", "no such statement in this evaluation", "statementId");
    const limit = (await requireCharter(db, evaluation.id)).content.textLimits.reason;
    const why = state === "accepted" && !reason?.trim() ? "accepted" : requireText("reason", reason ?? "", limit);
    if (statement.moderation === state) throw new AppError("conflict", `the statement is ${state} already`, "state");
    await setStatementModeration(db, statement.id, state);
    await insertModerationAction(db, {
      evaluationId: evaluation.id,
      targetKind: "statement",
      targetId: statement.id,
      action: MODERATION_ACTION[state],
      actorRole: "organiser",
      actorUserId: requireSignedIn(actor),
      reason: why,
    });
    await recordAudit(db, evaluation.id, actor, "statement.moderated", statement.id, { from: statement.moderation, to: state });
    return { statement: presentStatement({ ...statement, moderation: state }, null, null, null) };
  });
}

/**
 * The statements shown under the moderation mode (organisers see every state), only those whose author's
 * consent allows the view (`statementInView`). Vote tallies count participants who consented to `aggregate`,
 * and are shown only when at least k of them voted (`contributorMarker`); otherwise `suppressed` says why.
 */
export async function statementsFor(s: Services, actor: Actor, idOrSlug: string) {
  const { evaluation, role } = await requireReader(s.pool, idOrSlug, actor);
  const mode = await moderationMode(s.pool, evaluation.id);
  const statements = (await listStatements(s.pool, evaluation.id, role === "organiser" ? undefined : shownStates(mode))).filter(statementInView);
  const k = (await requireCharter(s.pool, evaluation.id)).content.kAnonymity;
  const tallies = new Map((await statementTallies(s.pool, evaluation.id)).map((t) => [t.statement_id, t]));
  const me = actor.userId ? await findParticipantByUser(s.pool, evaluation.id, actor.userId) : undefined;
  const mine = new Map(me ? (await voteHistory(s.pool, me.id)).filter((v) => v.is_current).map((v) => [v.statement_id, v.vote]) : []);
  return {
    statementModeration: mode,
    kAnonymity: k,
    statements: statements.map((st) => {
      const t = tallies.get(st.id);
      const suppressed = contributorMarker(t ? t.agree + t.disagree + t.pass : 0, k);
      const votes = !suppressed && t ? { agree: t.agree, disagree: t.disagree, pass: t.pass } : null;
      return { ...presentStatement(st, votes, mine.get(st.id) ?? null, me?.id ?? null), ...(suppressed ? { suppressed } : {}) };
    }),
  };
}

export async function myStatementVotes(s: Services, actor: Actor, idOrSlug: string) {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  const participant = await requireParticipant(s.pool, evaluation.id, actor);
  return { votes: (await voteHistory(s.pool, participant.id)).map(presentVote) };
}

export function presentVote(v: VoteRow) {
  return { id: v.id, statementId: v.statement_id, vote: v.vote, phase: v.phase, isCurrent: v.is_current, at: v.created_at };
}

export function presentStatement(
  st: StatementRow,
  votes: { agree: number; disagree: number; pass: number } | null,
  myVote: StatementVote | null,
  myParticipantId: string | null,
) {
  return {
    id: st.id,
    text: st.text,
    author: { role: st.author_role },
    mine: myParticipantId !== null && st.author_participant_id === myParticipantId,
    moderation: st.moderation,
    isMeta: st.is_meta,
    externalRef: st.external_ref,
    createdAt: st.created_at,
    votes,
    myVote,
  };
}
