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
import type { DECISION_METHODS } from "./charter.ts";

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
