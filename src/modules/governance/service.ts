/**
 * Proposals and ballots under the charter's decision rule; closing carries the outcome out (principle 3):
 * a passed `amend_charter` creates the next charter version (the ONLY way a charter changes), a passed
 * `release_data` permits exports of that scope to that recipient, `withhold_data` / `end_withholding`
 * switch the withholding on or off. Decision method and quorum are those of the charter version in force
 * when the proposal was made, and so is the identity assurance it requires. Eligible voters: the participants
 * who joined before the deadline and meet core isEligibleVoter (joined, not imported; current consent; the
 * charter's assurance). Others may vote: their ballot is recorded, answered `counted: false`, and left out of
 * the tally and of the quorum's denominator.
 * Proposals close explicitly (POST …/close after the deadline) or lazily whenever proposals or exports are read.
 */
import { z } from "zod";
import { charterSchema, type Charter } from "../../core/charter.ts";
import { EXPORT_SCOPES } from "../../core/consent.ts";
import { AppError } from "../../core/errors.ts";
import { canCastBallot, countedness, quorumNeeded, tallyProposal, validateBallot, validateProposalDeadline, type BallotChoice, type ProposalKind } from "../../core/governance.ts";
import { inTransaction, type Client } from "../../platform/db/pool.ts";
import { insertCharter } from "../evaluations/queries.ts";
import { latestCharter, lockEvaluation } from "../../platform/records.ts";
import { findParticipantByUser } from "../../platform/records.ts";
import {
  activeWithholding,
  ballotsOf,
  closeProposalRow,
  endWithholding,
  findProposal,
  insertBallot,
  insertProposal,
  listProposals as listProposalRows,
  hasDueProposals, lockDueProposals,
  startWithholding,
  type ProposalRow,
} from "./queries.ts";
import { nowOf, type Services } from "../../platform/context.ts";
import { eligibilityOf, eligibleVoterIds, requireEvaluation, requireParticipant, requireRole, type Actor, requireCharter, requireCharterAt } from "../../platform/guards.ts";
import { charterHash, getEvaluation } from "../evaluations/service.ts";
import { assertCharterPay } from "../labour/pay-floor.ts";

export interface NewProposalInput {
  kind: ProposalKind;
  title: string;
  description?: string | undefined;
  deadline: Date;
  payload?: Record<string, unknown> | undefined;
}

const releasePayload = z.strictObject({ scope: z.enum(EXPORT_SCOPES), recipient: z.string().trim().min(1, "name the recipient").max(300) });
const rulePayload = z.strictObject({ rule: z.string().trim().min(1, "state the rule").max(4000) });
const emptyPayload = z.strictObject({});

function parsePayload<T>(schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppError("validation_failed", issue?.message ?? "invalid payload", ["payload", ...(issue?.path ?? []).map(String)].join("."));
}

/** The payload a proposal kind needs, checked: an amendment carries a whole valid charter that respects the pay floor. */
function checkPayload(kind: ProposalKind, payload: unknown, current: Charter): Record<string, unknown> {
  switch (kind) {
    case "amend_charter": {
      const { charter } = parsePayload(z.strictObject({ charter: charterSchema }), payload);
      assertCharterPay(charter, "payload.charter.pay");
      return { charter };
    }
    case "release_data": {
      const release = parsePayload(releasePayload, payload);
      if (!current.scopes.includes(release.scope)) throw new AppError("scope_not_offered", `the charter does not offer the scope ${release.scope}`, "payload.scope");
      return release;
    }
    case "adopt_rule":
      return parsePayload(rulePayload, payload);
    case "withhold_data":
    case "end_withholding":
    case "custom":
      return parsePayload(emptyPayload, payload);
  }
}

export function proposalView(p: ProposalRow) {
  return {
    id: p.id,
    kind: p.kind,
    title: p.title,
    description: p.description,
    payload: p.payload,
    method: p.method,
    quorum: p.quorum,
    charterVersion: p.charter_version,
    proposedBy: p.proposed_by_organiser ? "organiser" : "participant",
    deadline: p.deadline,
    status: p.status,
    rejectionReason: p.rejection_reason,
    tally: p.tally,
    effect: p.effect,
    createdAt: p.created_at,
    closedAt: p.closed_at,
  };
}

export async function createProposal(s: Services, actor: Actor, idOrSlug: string, input: NewProposalInput) {
  const now = nowOf(s);
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const role = await requireRole(db, evaluation.id, actor, ["participant", "organiser"]);
    const charter = await requireCharter(db, evaluation.id);
    if (!input.title.trim()) throw new AppError("validation_failed", "give the proposal a title", "title");
    const deadline = validateProposalDeadline(input.deadline, now);
    if (!deadline.ok) throw new AppError("validation_failed", `the deadline is ${deadline.reason.replace("_", " ")}: leave at least 24 hours and at most 60 days to vote`, "deadline");
    const payload = checkPayload(input.kind, input.payload, charter.content);
    const participant = actor.userId ? await findParticipantByUser(db, evaluation.id, actor.userId) : undefined;
    const row = await insertProposal(db, {
      evaluationId: evaluation.id,
      kind: input.kind,
      title: input.title.trim(),
      description: input.description?.trim() ?? "",
      payload,
      method: charter.content.governance.decisionMethod,
      quorum: charter.content.governance.quorum,
      charterVersion: charter.version,
      participantId: participant?.id ?? null,
      byOrganiser: role === "organiser",
      deadline: input.deadline,
      createdAt: now,
    });
    return proposalView(row);
  });
}

/** Carries out a passed proposal; returns what was done (recorded on the proposal as its effect). */
async function carryOut(db: Client, proposal: ProposalRow, now: Date): Promise<Record<string, unknown>> {
  switch (proposal.kind) {
    case "amend_charter": {
      const charter = charterSchema.parse(proposal.payload.charter);
      const latest = await latestCharter(db, proposal.evaluation_id);
      const version = (latest?.version ?? 0) + 1;
      await insertCharter(db, proposal.evaluation_id, version, charter, charterHash(charter));
      return { charterVersion: version };
    }
    case "withhold_data": {
      if (await activeWithholding(db, proposal.evaluation_id)) return { withholding: "already_active" };
      await startWithholding(db, proposal.evaluation_id, proposal.id, now);
      return { withholding: "started" };
    }
    case "end_withholding": {
      const active = await activeWithholding(db, proposal.evaluation_id);
      if (!active) return { withholding: "none_active" };
      await endWithholding(db, active.id, proposal.id, now);
      return { withholding: "ended" };
    }
    case "release_data":
      return { release: { scope: proposal.payload.scope, recipient: proposal.payload.recipient } };
    case "adopt_rule":
    case "custom":
      return { recorded: true };
  }
}

/** The charter version in force when the proposal was made (its assurance applies, like its method and quorum). */
async function proposalCharter(db: Client, proposal: ProposalRow): Promise<Charter> {
  return (await requireCharterAt(db, proposal.evaluation_id, proposal.charter_version)).content;
}

async function closeOne(db: Client, proposal: ProposalRow, now: Date): Promise<void> {
  const voters = await eligibleVoterIds(db, proposal.evaluation_id, await proposalCharter(db, proposal), { joinedBefore: proposal.deadline });
  const ballots = (await ballotsOf(db, proposal.id))
    .filter((b) => voters.has(b.participant_id))
    .map((b) => ({ participantId: b.participant_id, choice: b.choice, reason: b.reason, castAt: b.cast_at }));
  const outcome = tallyProposal({ method: proposal.method, quorum: proposal.quorum, eligible: voters.size, ballots, deadline: proposal.deadline, now });
  if (outcome.status === "open") return;
  const effect = outcome.status === "passed" ? await carryOut(db, proposal, now) : null;
  await closeProposalRow(db, proposal.id, { status: outcome.status, reason: outcome.status === "rejected" ? outcome.reason : null, tally: outcome.tally, effect, closedAt: now });
}

/** Closes every open proposal of the evaluation whose deadline has passed, in deadline order, in one transaction. */
export async function closeDueProposals(s: Services, evaluationId: string): Promise<void> {
  const now = nowOf(s);
  // Public reads call this: without a proposal past its deadline they take no lock at all.
  if (!(await hasDueProposals(s.pool, evaluationId, now))) return;
  await inTransaction(s.pool, async (db) => {
    await lockEvaluation(db, evaluationId);
    for (const proposal of await lockDueProposals(db, evaluationId, now)) await closeOne(db, proposal, now);
  });
}

export async function listProposals(s: Services, actor: Actor, idOrSlug: string) {
  const { evaluation } = await getEvaluation(s, actor, idOrSlug);
  await closeDueProposals(s, evaluation.id);
  const withholding = await activeWithholding(s.pool, evaluation.id);
  const proposals = [];
  for (const row of await listProposalRows(s.pool, evaluation.id)) proposals.push({ ...proposalView(row), turnout: row.status === "open" ? await turnoutOf(s.pool, row) : null });
  return {
    proposals,
    withholding: withholding ? { active: true, since: withholding.started_at, proposalId: withholding.started_by } : { active: false },
  };
}

/** While a proposal is open: how many who count have voted (not how), of how many, and the quorum's count. */
async function turnoutOf(db: Client | Services["pool"], proposal: ProposalRow) {
  const charter = (await requireCharterAt(db, proposal.evaluation_id, proposal.charter_version)).content;
  const voters = await eligibleVoterIds(db, proposal.evaluation_id, charter, { joinedBefore: proposal.deadline });
  const voted = new Set((await ballotsOf(db, proposal.id)).map((b) => b.participant_id).filter((id) => voters.has(id))).size;
  return { voted, eligible: voters.size, quorumNeeded: quorumNeeded(proposal.quorum, voters.size) };
}

/** One proposal; while open it shows how many have voted (not how), once closed its tally. The caller's own last ballot is included. */
export async function getProposal(s: Services, actor: Actor, idOrSlug: string, proposalId: string) {
  const { evaluation } = await getEvaluation(s, actor, idOrSlug);
  await closeDueProposals(s, evaluation.id);
  const proposal = await findProposal(s.pool, evaluation.id, proposalId);
  if (!proposal) throw new AppError("not_found", "no such proposal in this evaluation", "proposalId");
  const ballots = await ballotsOf(s.pool, proposal.id);
  const me = actor.userId ? await findParticipantByUser(s.pool, evaluation.id, actor.userId) : undefined;
  const mine = me ? ballots.filter((b) => b.participant_id === me.id).at(-1) : undefined;
  return {
    proposal: proposalView(proposal),
    voters: new Set(ballots.map((b) => b.participant_id)).size,
    myBallot: mine ? { choice: mine.choice, reason: mine.reason, castAt: mine.cast_at } : null,
  };
}

/** Casts or changes the caller's ballot; refused after the deadline (409 deadline_passed) and for a choice the method does not allow. */
export async function castBallot(s: Services, actor: Actor, idOrSlug: string, proposalId: string, choice: BallotChoice, reason?: string | null) {
  const now = nowOf(s);
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const participant = await requireParticipant(db, evaluation.id, actor);
    const proposal = await findProposal(db, evaluation.id, proposalId, true);
    if (!proposal) throw new AppError("not_found", "no such proposal in this evaluation", "proposalId");
    const open = canCastBallot(now, proposal.deadline, proposal.status);
    if (!open.ok) throw new AppError(open.reason, open.reason === "deadline_passed" ? "the voting deadline has passed" : "this proposal is closed", "proposalId");
    const valid = validateBallot(proposal.method, choice, reason);
    if (!valid.ok) {
      const message = valid.reason === "reason_required" ? "an objection must give its reason" : `the ${proposal.method} method does not take the choice ${choice}`;
      throw new AppError("validation_failed", message, valid.reason === "reason_required" ? "reason" : "choice");
    }
    const ballot = await insertBallot(db, { proposalId: proposal.id, participantId: participant.id, choice, reason: reason?.trim() || null, castAt: now });
    const counted = countedness(await eligibilityOf(db, evaluation.id, participant.id, await proposalCharter(db, proposal)));
    return { choice: ballot.choice, reason: ballot.reason, castAt: ballot.cast_at, counted: counted.counted, notCountedReason: counted.reason, explanation: counted.explanation };
  });
}

/** Explicit close after the deadline (409 proposal_still_open before it); closing an already closed proposal returns it unchanged. */
export async function closeProposal(s: Services, actor: Actor, idOrSlug: string, proposalId: string) {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  await requireRole(s.pool, evaluation.id, actor, ["participant", "organiser", "observer"]);
  const proposal = await findProposal(s.pool, evaluation.id, proposalId);
  if (!proposal) throw new AppError("not_found", "no such proposal in this evaluation", "proposalId");
  if (proposal.status === "open" && nowOf(s).getTime() < proposal.deadline.getTime()) {
    throw new AppError("proposal_still_open", "the proposal can be closed only after its deadline", "proposalId");
  }
  await closeDueProposals(s, evaluation.id);
  const closed = await findProposal(s.pool, evaluation.id, proposalId);
  return proposalView(closed ?? proposal);
}
