/**
 * Labour: server-measured work sessions, pay owed, payouts, pay floors, sponsor ratings.
 *
 * Units: the charter states `pay.ratePerHour` in WHOLE currency units (12 = 12.00 USD per hour); the ledger
 * works in integer MINOR units, so the service converts with `rateMinorPerHour` (× 100, rounded). The floor
 * comes from `COUNTERPUBLIC_PAY_FLOOR` ("12", "12 USD", "10.50 EUR"; default 12 USD per hour), also in whole units.
 *
 * A work session is a judged assignment: served_at → judged_at, capped at the charter's `idleCapMinutes`.
 * The rate that applies to a session is the one of the charter version in force when it was served, so an
 * amendment never changes pay for work already done. Pay is computed once per rate on the total time.
 */
import { recordAudit } from "../evaluations/audit.ts";
import { AppError } from "../../core/errors.ts";
import { contributorMarker, releasedInBlocks } from "../../core/k-anonymity.ts";
import { oversees } from "../../core/evaluation.ts";
import { accountLabour, aggregateSponsorRatings, summariseWork, type LabourAccount, type PayFloor, type SponsorRating } from "../../core/labour.ts";
import { inTransaction, type Queryable } from "../../platform/db/pool.ts";
import { allCharters } from "../evaluations/queries.ts";
import { latestCharter, type CharterRow } from "../../platform/records.ts";
import { findParticipantByPseudonym, insertPayout, participantPseudonyms, payoutsOf, sponsorRatings, upsertSponsorRating, workerCount, workSessions, type WorkSessionRow } from "./queries.ts";
import { nowOf, type Services } from "../../platform/context.ts";
import { requireEvaluation, requireParticipant, requireRole, type Actor, requireCharter } from "../../platform/guards.ts";
import { getEvaluation } from "../evaluations/service.ts";
import { payFloor, rateMinorPerHour } from "./pay-floor.ts";

/** The charter version in force at `at` (the latest created at or before it; version 1 otherwise). */
function charterAt(charters: readonly CharterRow[], at: Date): CharterRow | undefined {
  let found = charters[0];
  for (const charter of charters) if (charter.created_at.getTime() <= at.getTime()) found = charter;
  return found;
}

export interface LabourSummary {
  readonly currency: string;
  /** minor units per hour, current charter */
  readonly ratePerHour: number;
  readonly volunteer: boolean;
  readonly floor: PayFloor;
  readonly tasks: number;
  readonly cappedMs: number;
  readonly account: LabourAccount;
}

/** Sums sessions per applicable charter rate, then accounts them against the payouts made. */
function accountSessions(charters: readonly CharterRow[], sessions: readonly WorkSessionRow[], paidMinor: number, floor: PayFloor): Omit<LabourSummary, "currency" | "ratePerHour" | "volunteer" | "floor"> {
  const byVersion = new Map<number, { charter: CharterRow; timings: { servedAt: Date; submittedAt: Date }[] }>();
  for (const session of sessions) {
    const charter = charterAt(charters, session.served_at);
    if (!charter) continue;
    const group = byVersion.get(charter.version) ?? { charter, timings: [] };
    group.timings.push({ servedAt: session.served_at, submittedAt: session.judged_at });
    byVersion.set(charter.version, group);
  }
  let measuredMs = 0;
  let cappedMs = 0;
  let tasks = 0;
  let owedMinor = 0;
  let valueAtFloorMinor = 0;
  let unpaidHours = 0;
  for (const { charter, timings } of byVersion.values()) {
    const work = summariseWork(timings, charter.content.idleCapMinutes);
    const part = accountLabour({ workedMs: work.measuredMs, ratePerHour: rateMinorPerHour(charter.content), paidMinor: 0, floor });
    measuredMs += work.measuredMs;
    cappedMs += work.cappedMs;
    tasks += work.tasks;
    owedMinor += part.owedMinor;
    valueAtFloorMinor += part.valueAtFloorMinor;
    unpaidHours += part.unpaidHours;
  }
  const total = accountLabour({ workedMs: measuredMs, ratePerHour: 0, paidMinor, floor });
  return {
    tasks,
    cappedMs,
    account: {
      ...total,
      owedMinor,
      outstandingMinor: Math.max(0, owedMinor - paidMinor),
      unpaidHours,
      valueAtFloorMinor,
      belowFloorMinor: Math.max(0, valueAtFloorMinor - owedMinor),
    },
  };
}

export async function labourSummary(db: Queryable, evaluationId: string, participantId?: string): Promise<LabourSummary> {
  const charters = await allCharters(db, evaluationId);
  const current = await requireCharter(db, evaluationId);
  const sessions = await workSessions(db, evaluationId, participantId);
  const paidMinor = (await payoutsOf(db, evaluationId, participantId)).reduce((sum, p) => sum + p.amount_minor, 0);
  const floor = payFloor();
  return {
    currency: current.content.pay.currency,
    ratePerHour: rateMinorPerHour(current.content),
    volunteer: current.content.pay.volunteer,
    floor,
    ...accountSessions(charters, sessions, paidMinor, floor),
  };
}

/** The caller's own hours, pay owed, payouts and (if volunteer) the value of their unpaid time at the floor. */
export async function myLabour(s: Services, actor: Actor, idOrSlug: string) {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  const participant = await requireParticipant(s.pool, evaluation.id, actor);
  const summary = await labourSummary(s.pool, evaluation.id, participant.id);
  const payouts = await payoutsOf(s.pool, evaluation.id, participant.id);
  return { ...summary, payouts: payouts.map(({ participant_id: _p, ...payout }) => payout) };
}

/**
 * The whole evaluation's labour as the public may see it: totals over whole blocks of k workers, in the order
 * they first worked (core releasedInBlocks), so that a newcomer's hours and pay are never the difference between
 * two published totals; below k workers nothing (with the marker saying why). `full`: every worker, for those
 * who oversee the evaluation.
 */
export async function publicLabour(db: Queryable, evaluationId: string, k: number, full = false) {
  if (full) {
    const [summary, workers] = await Promise.all([labourSummary(db, evaluationId), workerCount(db, evaluationId)]);
    return { ...summary, workers, suppressed: null };
  }
  const [charters, current, sessions, payouts] = await Promise.all([allCharters(db, evaluationId), requireCharter(db, evaluationId), workSessions(db, evaluationId), payoutsOf(db, evaluationId)]);
  // workers in the order they first worked (sessions come by served_at); the totals cover whole blocks of k of them
  const arrived = [...new Set(sessions.map((session) => session.participant_id))];
  const counted = new Set(arrived.slice(0, releasedInBlocks(arrived.length, k)));
  const floor = payFloor();
  const head = { currency: current.content.pay.currency, ratePerHour: rateMinorPerHour(current.content), volunteer: current.content.pay.volunteer, floor };
  const suppressed = contributorMarker(counted.size, k);
  if (suppressed !== null) return { ...head, tasks: null, cappedMs: null, account: null, workers: null, suppressed };
  const paidMinor = payouts.filter((p) => counted.has(p.participant_id)).reduce((sum, p) => sum + p.amount_minor, 0);
  const totals = accountSessions(charters, sessions.filter((session) => counted.has(session.participant_id)), paidMinor, floor);
  return { ...head, ...totals, workers: counted.size, suppressed };
}

/** Public aggregate: the whole evaluation's labour (totals below k workers for organisers and observers only) and sponsor ratings (suppressed below k). */
export async function evaluationLabour(s: Services, actor: Actor, idOrSlug: string) {
  const { evaluation, role } = await getEvaluation(s, actor, idOrSlug);
  const charter = await latestCharter(s.pool, evaluation.id);
  const k = charter?.content.kAnonymity ?? 10;
  const labour = await publicLabour(s.pool, evaluation.id, k, oversees(role));
  return { ...labour, sponsorRatings: aggregateSponsorRatings(await sponsorRatings(s.pool, evaluation.id), k) };
}

/** Organiser view for paying people: per participant pseudonym, hours, owed, paid, outstanding. */
export async function payLedger(s: Services, actor: Actor, idOrSlug: string) {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  await requireRole(s.pool, evaluation.id, actor, ["organiser"]);
  const pseudonyms = await participantPseudonyms(s.pool, evaluation.id);
  const ledger = [];
  for (const [participantId, pseudonym] of pseudonyms) {
    const summary = await labourSummary(s.pool, evaluation.id, participantId);
    if (summary.tasks === 0 && summary.account.paidMinor === 0) continue;
    ledger.push({ participant: pseudonym, tasks: summary.tasks, hours: summary.account.hours, owedMinor: summary.account.owedMinor, paidMinor: summary.account.paidMinor, outstandingMinor: summary.account.outstandingMinor });
  }
  return { currency: (await latestCharter(s.pool, evaluation.id))?.content.pay.currency ?? "USD", ledger };
}

/** The organiser records a payout to a participant (by evaluation pseudonym), in minor units of the charter's currency. */
export async function recordPayout(s: Services, actor: Actor, idOrSlug: string, input: { participant: string; amountMinor: number; note?: string | undefined }) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    await requireRole(db, evaluation.id, actor, ["organiser"]);
    if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) throw new AppError("validation_failed", "a payout is a positive whole number of minor units", "amountMinor");
    const participant = await findParticipantByPseudonym(db, evaluation.id, input.participant);
    if (!participant) throw new AppError("not_found", `no participant ${input.participant} in this evaluation`, "participant");
    const charter = await latestCharter(db, evaluation.id);
    const payout = await insertPayout(db, {
      evaluationId: evaluation.id,
      participantId: participant.id,
      amountMinor: input.amountMinor,
      currency: charter?.content.pay.currency ?? "USD",
      note: input.note ?? "",
      paidAt: nowOf(s),
      recordedBy: actor.userId,
    });
    await recordAudit(db, evaluation.id, actor, "payout.recorded", payout.id, { participant: participant.pseudonym, amountMinor: payout.amount_minor, currency: payout.currency });
    return { id: payout.id, participant: participant.pseudonym, amountMinor: payout.amount_minor, currency: payout.currency, note: payout.note, paidAt: payout.paid_at };
  });
}

/** A participant rates the sponsor (1–5 on each dimension); a later rating replaces the earlier. */
export async function rateSponsor(s: Services, actor: Actor, idOrSlug: string, scores: Omit<SponsorRating, "participantId">) {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  const participant = await requireParticipant(s.pool, evaluation.id, actor);
  const rating: SponsorRating = { participantId: participant.id, ...scores };
  try {
    aggregateSponsorRatings([rating], 1);
  } catch (error) {
    throw new AppError("validation_failed", error instanceof Error ? error.message : "invalid rating", "rating");
  }
  await upsertSponsorRating(s.pool, evaluation.id, rating, nowOf(s));
  return { communication: rating.communication, pay: rating.pay, fairness: rating.fairness, promptness: rating.promptness };
}
