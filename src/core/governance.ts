/**
 * Collective decisions under the charter's rules: proposals, ballots and their tally.
 *
 * Rules kept here (documented because each one is a choice):
 * - A proposal is open while `now < deadline`; a ballot cast at or after the deadline is refused.
 * - Each participant's LAST ballot before the deadline counts (a participant may change their mind).
 * - Quorum is the share of eligible participants who cast any valid ballot (abstain and object included).
 *   The count needed is ceil(quorum × eligible); quorum 0 needs no ballot at all.
 * - `majority` passes when yes > no (abstentions are not counted against); yes = no is a tie.
 * - `supermajority` passes when yes ≥ 2/3 of (yes + no): "at least two thirds", so EXACTLY 2/3 PASSES
 *   (e.g. 2 yes, 1 no). Computed in integers (3·yes ≥ 2·(yes+no)), never with floats.
 *   yes = no (including 0–0) is reported as a tie.
 * - `consent` passes unless an objection with a non-empty reason stands. Under consent the choices are
 *   yes (consent), abstain (stand aside) and object; a bare "no" is refused, because a participant who
 *   wants to block must say why. Under majority/supermajority "object" is refused (it has no meaning).
 */
import { DEFAULT_IDENTITY_ASSURANCE, IDENTITY_ASSURANCES, type DECISION_METHODS, type IdentityAssurance } from "./charter.ts";

export const PROPOSAL_KINDS = ["amend_charter", "release_data", "adopt_rule", "withhold_data", "end_withholding", "custom"] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

/** the charter's `governance.decisionMethod` values */
export type DecisionMethod = (typeof DECISION_METHODS)[number];

export const BALLOT_CHOICES = ["yes", "no", "abstain", "object"] as const;
export type BallotChoice = (typeof BALLOT_CHOICES)[number];

export const PROPOSAL_STATUSES = ["open", "passed", "rejected", "withdrawn"] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export interface Ballot {
  readonly participantId: string;
  readonly choice: BallotChoice;
  /** required (non-blank) for `object`; optional otherwise */
  readonly reason?: string | null;
  readonly castAt: Date;
}

export interface Tally {
  readonly yes: number;
  readonly no: number;
  readonly abstain: number;
  /** standing objections (object with a non-blank reason), consent method only */
  readonly object: number;
  /** distinct participants whose last ballot counts */
  readonly cast: number;
  readonly eligible: number;
  /** ballots needed for quorum: ceil(quorum × eligible) */
  readonly quorumNeeded: number;
  /** last ballots not counted: a choice the method does not allow, or an objection without a reason */
  readonly invalid: number;
}

export type RejectionReason = "quorum_not_met" | "tie" | "below_threshold" | "objection";

export type ProposalOutcome =
  | { readonly status: "open" }
  | { readonly status: "passed"; readonly tally: Tally }
  | { readonly status: "rejected"; readonly reason: RejectionReason; readonly tally: Tally };

export interface TallyInput {
  readonly method: DecisionMethod;
  /** share of eligible participants in [0, 1] */
  readonly quorum: number;
  /** number of participants eligible to vote */
  readonly eligible: number;
  readonly ballots: readonly Ballot[];
  readonly deadline: Date;
  readonly now: Date;
}

export type BallotRefusal = "choice_not_allowed" | "reason_required" | "deadline_passed" | "proposal_closed";
export type Check<E extends string> = { readonly ok: true } | { readonly ok: false; readonly reason: E };

const OK = { ok: true } as const;

function hasText(value: string | null | undefined): boolean {
  return typeof value === "string" && value.trim().length > 0;
}

/** Whether a choice may be cast under a decision method, and carries what it needs (an objection's reason). */
export function validateBallot(method: DecisionMethod, choice: BallotChoice, reason?: string | null): Check<"choice_not_allowed" | "reason_required"> {
  if (method === "consent" && choice === "no") return { ok: false, reason: "choice_not_allowed" };
  if (method !== "consent" && choice === "object") return { ok: false, reason: "choice_not_allowed" };
  if (choice === "object" && !hasText(reason)) return { ok: false, reason: "reason_required" };
  return OK;
}

/** A ballot may be cast (or changed) only while the proposal is open and before its deadline. */
export function canCastBallot(now: Date, deadline: Date, status: ProposalStatus): Check<"deadline_passed" | "proposal_closed"> {
  if (status !== "open") return { ok: false, reason: "proposal_closed" };
  if (now.getTime() >= deadline.getTime()) return { ok: false, reason: "deadline_passed" };
  return OK;
}

export interface DeadlineLimits {
  /** shortest allowed voting period, in hours (default 24) */
  readonly minHours?: number;
  /** longest allowed voting period, in days (default 60) */
  readonly maxDays?: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A deadline must leave at least `minHours` to vote and at most `maxDays`. */
export function validateProposalDeadline(deadline: Date, now: Date, limits: DeadlineLimits = {}): Check<"invalid_date" | "too_soon" | "too_far"> {
  const minHours = limits.minHours ?? 24;
  const maxDays = limits.maxDays ?? 60;
  const span = deadline.getTime() - now.getTime();
  if (Number.isNaN(span)) return { ok: false, reason: "invalid_date" };
  if (span < minHours * HOUR_MS) return { ok: false, reason: "too_soon" };
  if (span > maxDays * DAY_MS) return { ok: false, reason: "too_far" };
  return OK;
}

/** ceil(quorum × eligible), robust to float error such as 0.3 × 10 = 3.0000000000000004. */
export function quorumNeeded(quorum: number, eligible: number): number {
  if (!(quorum >= 0 && quorum <= 1)) throw new RangeError(`quorum must be a share in [0, 1], got ${quorum}`);
  if (!Number.isInteger(eligible) || eligible < 0) throw new RangeError(`eligible must be a non-negative integer, got ${eligible}`);
  return Math.max(0, Math.ceil(quorum * eligible - 1e-9));
}

/** Each participant's last ballot cast before the deadline (later castAt wins; on equal times, later in the list wins). */
export function lastBallots(ballots: readonly Ballot[], deadline: Date): Ballot[] {
  const latest = new Map<string, Ballot>();
  for (const ballot of ballots) {
    if (ballot.castAt.getTime() >= deadline.getTime()) continue;
    const previous = latest.get(ballot.participantId);
    if (!previous || ballot.castAt.getTime() >= previous.castAt.getTime()) latest.set(ballot.participantId, ballot);
  }
  return [...latest.values()];
}

function countBallots(input: TallyInput): Tally {
  const counts = { yes: 0, no: 0, abstain: 0, object: 0, invalid: 0 };
  for (const ballot of lastBallots(input.ballots, input.deadline)) {
    if (validateBallot(input.method, ballot.choice, ballot.reason).ok) counts[ballot.choice] += 1;
    else counts.invalid += 1;
  }
  const cast = counts.yes + counts.no + counts.abstain + counts.object;
  return { ...counts, cast, eligible: input.eligible, quorumNeeded: quorumNeeded(input.quorum, input.eligible) };
}

function decide(method: DecisionMethod, tally: Tally): RejectionReason | null {
  switch (method) {
    case "majority":
      if (tally.yes === tally.no) return "tie";
      return tally.yes > tally.no ? null : "below_threshold";
    case "supermajority":
      if (tally.yes === tally.no) return "tie";
      return 3 * tally.yes >= 2 * (tally.yes + tally.no) ? null : "below_threshold";
    case "consent":
      return tally.object > 0 ? "objection" : null;
  }
}

/** The outcome of a proposal at `now`: open before the deadline, then passed or rejected with its tally. */
export function tallyProposal(input: TallyInput): ProposalOutcome {
  if (input.now.getTime() < input.deadline.getTime()) return { status: "open" };
  const tally = countBallots(input);
  if (tally.cast < tally.quorumNeeded) return { status: "rejected", reason: "quorum_not_met", tally };
  const rejection = decide(input.method, tally);
  return rejection === null ? { status: "passed", tally } : { status: "rejected", reason: rejection, tally };
}

/* ------------------------------------------------------------------ one person, one voice */

/**
 * How a participant came to be: `open_link` (a multi-use invitation), `personal_link` (a single-use
 * invitation), `verified_account` (a full account with an e-mail), or `imported` (a pseudo-participant
 * created by an organiser's import, who never joined and can never vote).
 */
export type ParticipantOrigin = IdentityAssurance | "imported";

/** The assurance a join gives: a full (non-anonymous) account is verified; otherwise the link decides. */
export function joinAssurance(join: { readonly fullAccount: boolean; readonly invitationMaxUses: number | null }): IdentityAssurance {
  if (join.fullAccount) return "verified_account";
  return join.invitationMaxUses === 1 ? "personal_link" : "open_link";
}

/** What the eligibility rule needs to know about a participant. */
export interface VoterFacts {
  readonly origin: ParticipantOrigin;
  /** the participant still has an account (a joined participant whose account is gone cannot act) */
  readonly hasAccount: boolean;
  /** consent currently held: at least one scope granted and not revoked */
  readonly consented: boolean;
}

export type IneligibleReason = "imported" | "no_account" | "no_consent" | "assurance_too_low";
export type Eligibility = { readonly eligible: true } | { readonly eligible: false; readonly reason: IneligibleReason };

/** The assurance a charter requires (charters written before the field existed get the default). */
export function requiredAssurance(charter: { readonly identityAssurance?: IdentityAssurance | undefined }): IdentityAssurance {
  return charter.identityAssurance ?? DEFAULT_IDENTITY_ASSURANCE;
}

/**
 * THE rule for who counts in collective decisions: ballots and quorums, minority-report signatures, demand
 * endorsements and their thresholds. A participant counts when they joined (imported pseudo-participants
 * never count, neither as voters nor in any denominator), still have their account, hold current consent,
 * and joined with at least the identity assurance the charter requires. Others may still vote, sign and
 * endorse: their act is recorded but not counted.
 */
export function isEligibleVoter(participant: VoterFacts, charter: { readonly identityAssurance?: IdentityAssurance | undefined }): Eligibility {
  if (participant.origin === "imported") return { eligible: false, reason: "imported" };
  if (!participant.hasAccount) return { eligible: false, reason: "no_account" };
  if (!participant.consented) return { eligible: false, reason: "no_consent" };
  const rank = (level: IdentityAssurance) => IDENTITY_ASSURANCES.indexOf(level);
  if (rank(participant.origin) < rank(requiredAssurance(charter))) return { eligible: false, reason: "assurance_too_low" };
  return { eligible: true };
}

export const INELIGIBLE_EXPLANATIONS: Readonly<Record<IneligibleReason, string>> = {
  imported: "imported contributors never count in collective decisions",
  no_account: "this participant no longer has an account",
  no_consent: "recorded but not counted: only participants who currently hold consent count",
  assurance_too_low: "recorded but not counted: the charter requires a stronger identity assurance than the way you joined",
};

/** The `counted` / `reason` pair an API answer carries for a ballot, signature or endorsement. */
export function countedness(eligibility: Eligibility): { readonly counted: boolean; readonly reason: IneligibleReason | null; readonly explanation: string | null } {
  if (eligibility.eligible) return { counted: true, reason: null, explanation: null };
  return { counted: false, reason: eligibility.reason, explanation: INELIGIBLE_EXPLANATIONS[eligibility.reason] };
}
