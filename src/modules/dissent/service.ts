/**
 * Dissent the sponsor cannot suppress. Minority reports: written and co-signed by participants, published
 * verbatim once the charter's signature threshold is reached; there is no edit or delete path at all (and the
 * database refuses an UPDATE of a report). Demands: endorsed by participants; past the charter's threshold the
 * sponsor owes a public answer within `demandAnswerDays`; answers, progress and milestones are on the record.
 */
import { mayUse, PUBLIC_VIEW_USE } from "../../core/consent.ts";
import { recordAudit, type AuditAction } from "../evaluations/audit.ts";
import { AppError } from "../../core/errors.ts";
import { currentSnapshot } from "../results/judgment-snapshot.ts";
import { sharesByItem, sharesBySubject } from "../results/snapshot-tallies.ts";
import { gateShareRow } from "../results/dissent-shares.ts";
import { listSubjects } from "../evaluations/subject-queries.ts";
import {
  canEndorse,
  canSign,
  checkProgressTransition,
  demandStatus,
  endorsementsNeeded,
  minorityReportStatus,
  owedSinceAfterEndorsement,
  summariseMilestones,
  type DemandProgress,
} from "../../core/dissent.ts";
import { assertTextWithin } from "../../core/evaluation.ts";
import { inTransaction, type Queryable } from "../../platform/db/pool.ts";
import {
  completeMilestone,
  itemLabels,
  endorsementCount,
  endorsersOf,
  findMinorityReport,
  insertDemand,
  insertEndorsement,
  insertMilestone,
  insertMinorityReport,
  insertSignature,
  listDemands,
  listMinorityReports,
  lockDemand,
  milestonesOf,
  signaturesOf,
  updateDemand,
  type DemandRow,
} from "./queries.ts";
import { nowOf, type Services } from "../../platform/context.ts";
import { eligibilityOf, eligibleVoterIds, requireEvaluation, requireParticipant, requireRole, type Actor, requireCharter } from "../../platform/guards.ts";
import { countedness } from "../../core/governance.ts";
import type { Charter } from "../../core/charter.ts";
import { getEvaluation } from "../evaluations/service.ts";
import { findParticipantByUser } from "../../platform/records.ts";

async function governanceOf(db: Queryable, evaluationId: string) {
  const charter = await requireCharter(db, evaluationId);
  return charter.content;
}

/** An item's public label: a participant-written item is named by its text only while its author's consent allows the view. */
export function itemLabel(item: { label: string; author_participant_id: string | null; author_scopes: string[] | null }): string {
  return mayUse({ author: item.author_participant_id ? "participant" : "organiser" }, item.author_scopes, PUBLIC_VIEW_USE) ? item.label : "a participant-written item";
}

/**
 * Abstentions and contests per item and per subject: the same consent-filtered, k-gated rows the results publish
 * (`gateShareRow`: each figure only past k distinct people, with complementary suppression), so no view
 * shows what another hides.
 */
export async function dissentCounts(s: Services, actor: Actor, idOrSlug: string) {
  const { evaluation } = await getEvaluation(s, actor, idOrSlug);
  const k = (await requireCharter(s.pool, evaluation.id)).content.kAnonymity;
  const labels = new Map((await itemLabels(s.pool, evaluation.id)).map((item) => [item.id, itemLabel(item)]));
  const names = new Map((await listSubjects(s.pool, evaluation.id)).map((subject) => [subject.id, subject.name]));
  const row = (r: ReturnType<typeof gateShareRow>, label: string) => ({
    key: r.key,
    label,
    abstentions: r.abstention,
    contests: r.contest,
    ...(r.suppressed ? { suppressed: r.suppressed } : {}),
  });
  // a row is listed only when a figure it may show is above zero: a hidden figure does not even reveal that it exists
  const dissenting = (r: ReturnType<typeof gateShareRow>) => (r.abstention ?? 0) > 0 || (r.contest ?? 0) > 0;
  const snapshot = await currentSnapshot(s.pool, evaluation.id);
  return {
    kAnonymity: k,
    suppressed: { reason: "fewer_than_k_contributors" as const, k, note: "an abstention or contest figure behind fewer than k people is not shown; a row with none to show is not listed" },
    byItem: sharesByItem(snapshot).map((r) => gateShareRow(r, k)).filter(dissenting).map((r) => row(r, labels.get(r.key) ?? r.key)),
    bySubject: sharesBySubject(snapshot).map((r) => gateShareRow(r, k)).filter(dissenting).map((r) => row(r, names.get(r.key) ?? r.key)),
  };
}

/* ------------------------------------------------------------------ minority reports */

/**
 * Reports with their counted signers: only signatures of eligible participants (core isEligibleVoter under the
 * charter's identity assurance) count toward the threshold; `recordedSigners` counts every signature kept.
 */
export async function minorityReports(db: Queryable, evaluationId: string) {
  const charter = await governanceOf(db, evaluationId);
  const threshold = charter.governance.minorityReportSignatures;
  const eligible = await eligibleVoterIds(db, evaluationId, charter);
  const reports = [];
  for (const report of await listMinorityReports(db, evaluationId)) {
    const recorded = (await signaturesOf(db, report.id)).map((sig) => ({ participantId: sig.participant_id, signedAt: sig.signed_at }));
    const signatures = recorded.filter((sig) => eligible.has(sig.participantId));
    const authorCounts = eligible.has(report.author_participant_id);
    const status = minorityReportStatus({ authorId: report.author_participant_id, createdAt: report.created_at, signatures, threshold, authorCounts });
    reports.push({
      id: report.id,
      title: report.title,
      text: report.text,
      createdAt: report.created_at,
      signers: status.signers,
      recordedSigners: recorded.length + 1,
      status: status.status,
      needed: status.status === "gathering" ? status.needed : 0,
      publishedAt: status.status === "published" ? status.publishedAt : null,
    });
  }
  return reports;
}

export async function listReports(s: Services, actor: Actor, idOrSlug: string) {
  const { evaluation } = await getEvaluation(s, actor, idOrSlug);
  return { reports: await minorityReports(s.pool, evaluation.id) };
}

export async function writeMinorityReport(s: Services, actor: Actor, idOrSlug: string, input: { title: string; text: string }) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const participant = await requireParticipant(db, evaluation.id, actor);
    const charter = await governanceOf(db, evaluation.id);
    if (!input.title.trim()) throw new AppError("validation_failed", "give the report a title", "title");
    if (!input.text.trim()) throw new AppError("validation_failed", "write the report", "text");
    assertTextWithin("text", input.text, charter.textLimits.post);
    const report = await insertMinorityReport(db, { evaluationId: evaluation.id, authorId: participant.id, title: input.title.trim(), text: input.text, at: nowOf(s) });
    return withCountedness(db, evaluation.id, participant.id, charter, (await minorityReports(db, evaluation.id)).find((r) => r.id === report.id));
  });
}

/** Co-signs a report; the author has signed by writing it, and nobody signs twice (409 already_signed). */
export async function signMinorityReport(s: Services, actor: Actor, idOrSlug: string, reportId: string) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const participant = await requireParticipant(db, evaluation.id, actor);
    const report = await findMinorityReport(db, evaluation.id, reportId);
    if (!report) throw new AppError("not_found", "no such minority report in this evaluation", "reportId");
    const signatures = (await signaturesOf(db, report.id)).map((sig) => ({ participantId: sig.participant_id, signedAt: sig.signed_at }));
    const allowed = canSign(report.author_participant_id, signatures, participant.id);
    if (!allowed.ok || !(await insertSignature(db, report.id, participant.id, nowOf(s)))) {
      throw new AppError("already_signed", "you have already signed this report (writing it counts as signing)", "reportId");
    }
    const charter = await governanceOf(db, evaluation.id);
    return withCountedness(db, evaluation.id, participant.id, charter, (await minorityReports(db, evaluation.id)).find((r) => r.id === report.id));
  });
}

/** Adds to an answer whether the caller's own signature or endorsement counts, and if not, why. */
async function withCountedness<T extends object>(db: Queryable, evaluationId: string, participantId: string, charter: Charter, view: T | undefined) {
  const counted = countedness(await eligibilityOf(db, evaluationId, participantId, charter));
  if (!view) throw new AppError("not_found", "no such record in this evaluation");
  return { ...view, counted: counted.counted, notCountedReason: counted.reason, explanation: counted.explanation };
}

/* ------------------------------------------------------------------ demands */

/** Who counts for demands: the eligible participants (the threshold's denominator and the endorsers that count). */
async function demandVoters(db: Queryable, evaluationId: string): Promise<Set<string>> {
  return eligibleVoterIds(db, evaluationId, await governanceOf(db, evaluationId));
}

/** Endorsers that count, the author included when eligible. */
async function countedEndorsers(db: Queryable, demand: Pick<DemandRow, "id" | "author_participant_id">, voters: ReadonlySet<string>): Promise<number> {
  const endorsers = (await endorsersOf(db, demand.id)).filter((e) => voters.has(e.participant_id)).length;
  return endorsers + (voters.has(demand.author_participant_id) ? 1 : 0);
}

async function demandView(db: Queryable, demand: DemandRow, voters: ReadonlySet<string>, now: Date) {
  const charter = await governanceOf(db, demand.evaluation_id);
  const endorsers = await countedEndorsers(db, demand, voters);
  const recordedEndorsers = (await endorsementCount(db, demand.id)) + 1;
  const needed = endorsementsNeeded(voters.size, charter.governance.demandThreshold);
  const milestones = await milestonesOf(db, [demand.id]);
  return {
    id: demand.id,
    title: demand.title,
    text: demand.text,
    createdAt: demand.created_at,
    endorsers,
    recordedEndorsers,
    needed,
    status: demandStatus({ endorsers, needed, owedSince: demand.owed_since, answeredAt: demand.answered_at, answerDays: charter.governance.demandAnswerDays, now }),
    answer: demand.answer,
    answeredAt: demand.answered_at,
    progress: demand.progress,
    progressReason: demand.progress_reason,
    milestones: milestones.map((m) => ({ id: m.id, title: m.title, dueAt: m.due_at, doneAt: m.done_at })),
    milestoneSummary: summariseMilestones(milestones.map((m) => ({ title: m.title, dueAt: m.due_at, doneAt: m.done_at })), now),
  };
}

/** Every demand's view; `mine` says which the reader wrote (so the page offers no endorsement of one's own). */
export async function demandsOf(db: Queryable, evaluationId: string, now: Date, readerParticipantId: string | null = null) {
  const voters = await demandVoters(db, evaluationId);
  const views = [];
  for (const demand of await listDemands(db, evaluationId)) views.push({ ...(await demandView(db, demand, voters, now)), mine: demand.author_participant_id === readerParticipantId });
  return views;
}

export async function listDemandViews(s: Services, actor: Actor, idOrSlug: string) {
  const { evaluation } = await getEvaluation(s, actor, idOrSlug);
  const reader = actor.userId ? await findParticipantByUser(s.pool, evaluation.id, actor.userId) : undefined;
  const demands = await demandsOf(s.pool, evaluation.id, nowOf(s), reader?.id ?? null);
  return { demands, overdue: demands.filter((d) => d.status.status === "overdue").length };
}

export async function makeDemand(s: Services, actor: Actor, idOrSlug: string, input: { title: string; text: string }) {
  const now = nowOf(s);
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const participant = await requireParticipant(db, evaluation.id, actor);
    const charter = await governanceOf(db, evaluation.id);
    if (!input.title.trim()) throw new AppError("validation_failed", "give the demand a title", "title");
    assertTextWithin("text", input.text, charter.textLimits.post);
    const voters = await demandVoters(db, evaluation.id);
    const endorsers = voters.has(participant.id) ? 1 : 0;
    const owedSince = owedSinceAfterEndorsement({ endorsers, participantCount: voters.size, thresholdShare: charter.governance.demandThreshold, owedSince: null, at: now });
    const demand = await insertDemand(db, { evaluationId: evaluation.id, authorId: participant.id, title: input.title.trim(), text: input.text, at: now, owedSince });
    return withCountedness(db, evaluation.id, participant.id, charter, await demandView(db, demand, voters, now));
  });
}

export async function endorseDemand(s: Services, actor: Actor, idOrSlug: string, demandId: string) {
  const now = nowOf(s);
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const participant = await requireParticipant(db, evaluation.id, actor);
    const demand = await lockDemand(db, evaluation.id, demandId);
    if (!demand) throw new AppError("not_found", "no such demand in this evaluation", "demandId");
    const endorsements = (await endorsersOf(db, demand.id)).map((e) => ({ participantId: e.participant_id, signedAt: e.signed_at }));
    const allowed = canEndorse(demand.author_participant_id, endorsements, participant.id);
    if (!allowed.ok && allowed.reason === "own_demand") throw new AppError("own_demand", "you wrote this demand: writing it counted as your endorsement", "demandId", "no_self_endorsement");
    if (!allowed.ok) throw new AppError("already_signed", "you have already endorsed this demand", "demandId");
    await insertEndorsement(db, demand.id, participant.id, now);
    const charter = await governanceOf(db, evaluation.id);
    const voters = await demandVoters(db, evaluation.id);
    const endorsers = await countedEndorsers(db, demand, voters);
    const owedSince = owedSinceAfterEndorsement({ endorsers, participantCount: voters.size, thresholdShare: charter.governance.demandThreshold, owedSince: demand.owed_since, at: now });
    if (owedSince && !demand.owed_since) await updateDemand(db, demand.id, { owedSince });
    return withCountedness(db, evaluation.id, participant.id, charter, await demandView(db, { ...demand, owed_since: owedSince }, voters, now));
  });
}

async function asSponsor<T>(s: Services, actor: Actor, idOrSlug: string, demandId: string, action: AuditAction, work: (db: Queryable, demand: DemandRow, now: Date) => Promise<T>) {
  const now = nowOf(s);
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    await requireRole(db, evaluation.id, actor, ["organiser"]);
    const demand = await lockDemand(db, evaluation.id, demandId);
    if (!demand) throw new AppError("not_found", "no such demand in this evaluation", "demandId");
    await work(db, demand, now);
    const updated = (await lockDemand(db, evaluation.id, demandId)) as DemandRow;
    await recordAudit(db, evaluation.id, actor, action, demand.id, { progress: updated.progress, answered: updated.answered_at !== null });
    return demandView(db, updated, await demandVoters(db, evaluation.id), now);
  });
}

/** The sponsor's public answer: given once, kept verbatim (409 already_answered). */
export async function answerDemand(s: Services, actor: Actor, idOrSlug: string, demandId: string, answer: string) {
  return asSponsor(s, actor, idOrSlug, demandId, "demand.answered", async (db, demand, now) => {
    if (!answer.trim()) throw new AppError("validation_failed", "write the answer", "answer");
    if (demand.answered_at) throw new AppError("already_answered", "this demand has been answered; the answer stays as given", "demandId");
    await updateDemand(db, demand.id, { answer, answeredAt: now });
  });
}

export async function setDemandProgress(s: Services, actor: Actor, idOrSlug: string, demandId: string, to: DemandProgress, reason?: string | null) {
  return asSponsor(s, actor, idOrSlug, demandId, "demand.progress", async (db, demand) => {
    const check = checkProgressTransition(demand.progress, to, reason);
    if (!check.ok) {
      if (check.reason === "reason_required") throw new AppError("validation_failed", "declining a demand needs a public reason", "reason");
      throw new AppError("invalid_transition", `progress cannot go from ${demand.progress} to ${to}`, "status");
    }
    await updateDemand(db, demand.id, { progress: to, progressReason: reason?.trim() || null });
  });
}

export async function addMilestone(s: Services, actor: Actor, idOrSlug: string, demandId: string, input: { title: string; dueAt: Date | null }) {
  return asSponsor(s, actor, idOrSlug, demandId, "demand.milestone", async (db, demand, now) => {
    if (!input.title.trim()) throw new AppError("validation_failed", "give the milestone a title", "title");
    await insertMilestone(db, { demandId: demand.id, title: input.title.trim(), dueAt: input.dueAt, at: now });
  });
}

export async function finishMilestone(s: Services, actor: Actor, idOrSlug: string, demandId: string, milestoneId: string) {
  return asSponsor(s, actor, idOrSlug, demandId, "demand.milestone", async (db, demand, now) => {
    if (!(await completeMilestone(db, demand.id, milestoneId, now))) throw new AppError("not_found", "no such open milestone on this demand", "milestoneId");
  });
}
