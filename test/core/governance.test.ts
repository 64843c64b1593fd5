import { test } from "node:test";
import assert from "node:assert/strict";
import {
  canCastBallot,
  quorumNeeded,
  tallyProposal,
  validateBallot,
  validateProposalDeadline,
  type Ballot,
  type BallotChoice,
  type DecisionMethod,
} from "../../src/core/governance.ts";

const deadline = new Date("2025-03-10T12:00:00Z");
const before = (minutes: number) => new Date(deadline.getTime() - minutes * 60_000);
const after = new Date(deadline.getTime() + 1);

function ballots(choices: readonly BallotChoice[], reason: string | null = null): Ballot[] {
  return choices.map((choice, i) => ({ participantId: `p${i}`, choice, reason, castAt: before(60) }));
}

function closed(method: DecisionMethod, list: Ballot[], eligible = 10, quorum = 0.5) {
  return tallyProposal({ method, quorum, eligible, ballots: list, deadline, now: after });
}

test("a proposal stays open until its deadline, however the vote stands", () => {
  const outcome = tallyProposal({ method: "majority", quorum: 0, eligible: 3, ballots: ballots(["yes", "yes"]), deadline, now: before(1) });
  assert.deepEqual(outcome, { status: "open" });
});

test("quorum not met: 4 of 10 cast when half must (abstentions count toward quorum)", () => {
  const outcome = closed("majority", ballots(["yes", "yes", "yes", "abstain"]));
  assert.equal(outcome.status, "rejected");
  assert.equal(outcome.status === "rejected" && outcome.reason, "quorum_not_met");
});

test("abstentions make quorum: 3 yes, 1 no, 1 abstain of 10 with quorum 0.5 passes", () => {
  const outcome = closed("majority", ballots(["yes", "yes", "yes", "no", "abstain"]));
  assert.equal(outcome.status, "passed");
  assert.equal(outcome.status === "passed" && outcome.tally.cast, 5);
  assert.equal(outcome.status === "passed" && outcome.tally.abstain, 1);
});

test("quorum count is ceil(share × eligible) without float error", () => {
  assert.equal(quorumNeeded(0.3, 10), 3);
  assert.equal(quorumNeeded(0.5, 7), 4);
  assert.equal(quorumNeeded(0, 7), 0);
  assert.throws(() => quorumNeeded(1.5, 7), RangeError);
});

test("a majority tie is rejected as a tie", () => {
  const outcome = closed("majority", ballots(["yes", "yes", "no", "no", "abstain", "abstain"]));
  assert.equal(outcome.status === "rejected" && outcome.reason, "tie");
});

test("supermajority: just below 2/3 is rejected, exactly 2/3 and just above pass", () => {
  // 5 yes / 8 decided = 0.625 < 2/3
  const below = closed("supermajority", ballots(["yes", "yes", "yes", "yes", "yes", "no", "no", "no"]));
  assert.equal(below.status === "rejected" && below.reason, "below_threshold");
  // 6 yes / 9 decided = 2/3 exactly: "at least two thirds" passes
  const exact = closed("supermajority", ballots(["yes", "yes", "yes", "yes", "yes", "yes", "no", "no", "no"]), 12);
  assert.equal(exact.status, "passed");
  // 7 yes / 10 decided = 0.7 > 2/3
  const above = closed("supermajority", ballots(["yes", "yes", "yes", "yes", "yes", "yes", "yes", "no", "no", "no"]), 12);
  assert.equal(above.status, "passed");
  // a plain majority that is not a supermajority: 3 yes, 2 no
  const simple = closed("supermajority", ballots(["yes", "yes", "yes", "no", "no"]));
  assert.equal(simple.status === "rejected" && simple.reason, "below_threshold");
});

test("consent: one reasoned objection blocks a proposal everyone else agrees to", () => {
  const list = [...ballots(["yes", "yes", "yes", "abstain"]), { participantId: "x", choice: "object" as const, reason: "This releases data to a party the charter never named.", castAt: before(5) }];
  const outcome = closed("consent", list);
  assert.equal(outcome.status === "rejected" && outcome.reason, "objection");
  assert.equal(outcome.status === "rejected" && outcome.tally.object, 1);
});

test("consent: an objection without a reason is refused and does not block", () => {
  assert.deepEqual(validateBallot("consent", "object", "   "), { ok: false, reason: "reason_required" });
  assert.deepEqual(validateBallot("consent", "object"), { ok: false, reason: "reason_required" });
  assert.deepEqual(validateBallot("consent", "object", "harms the community"), { ok: true });
  const list = [...ballots(["yes", "yes", "yes", "yes"]), { participantId: "x", choice: "object" as const, reason: "", castAt: before(5) }];
  const outcome = closed("consent", list, 8);
  assert.equal(outcome.status, "passed");
  assert.equal(outcome.status === "passed" && outcome.tally.invalid, 1);
});

test("choices must fit the method: no 'no' under consent, no 'object' under majority", () => {
  assert.deepEqual(validateBallot("consent", "no"), { ok: false, reason: "choice_not_allowed" });
  assert.deepEqual(validateBallot("majority", "object", "reason"), { ok: false, reason: "choice_not_allowed" });
  assert.deepEqual(validateBallot("supermajority", "abstain"), { ok: true });
});

test("a ballot changed before close: the last one counts", () => {
  const list: Ballot[] = [
    { participantId: "a", choice: "yes", castAt: before(30) },
    { participantId: "b", choice: "no", castAt: before(50) },
    { participantId: "c", choice: "yes", castAt: before(40) },
    { participantId: "c", choice: "no", castAt: before(10) },
  ];
  // without the change: 2 yes 1 no passes; with it: 1 yes 2 no is rejected
  const outcome = tallyProposal({ method: "majority", quorum: 0.5, eligible: 4, ballots: list, deadline, now: after });
  assert.equal(outcome.status === "rejected" && outcome.reason, "below_threshold");
  assert.equal(outcome.status === "rejected" && outcome.tally.cast, 3);
});

test("a ballot after the deadline is refused, and ignored by the tally", () => {
  assert.deepEqual(canCastBallot(deadline, deadline, "open"), { ok: false, reason: "deadline_passed" });
  assert.deepEqual(canCastBallot(before(1), deadline, "open"), { ok: true });
  assert.deepEqual(canCastBallot(before(1), deadline, "withdrawn"), { ok: false, reason: "proposal_closed" });
  const list: Ballot[] = [
    { participantId: "a", choice: "yes", castAt: before(30) },
    { participantId: "a", choice: "no", castAt: after },
    { participantId: "b", choice: "yes", castAt: before(30) },
  ];
  const outcome = tallyProposal({ method: "majority", quorum: 0, eligible: 2, ballots: list, deadline, now: after });
  assert.equal(outcome.status, "passed");
  assert.equal(outcome.status === "passed" && outcome.tally.yes, 2);
});

test("deadline limits: too soon, too far, within", () => {
  const now = new Date("2025-03-01T00:00:00Z");
  const inHours = (h: number) => new Date(now.getTime() + h * 3_600_000);
  assert.deepEqual(validateProposalDeadline(inHours(23), now, { minHours: 24, maxDays: 14 }), { ok: false, reason: "too_soon" });
  assert.deepEqual(validateProposalDeadline(inHours(24), now, { minHours: 24, maxDays: 14 }), { ok: true });
  assert.deepEqual(validateProposalDeadline(inHours(14 * 24 + 1), now, { minHours: 24, maxDays: 14 }), { ok: false, reason: "too_far" });
  assert.deepEqual(validateProposalDeadline(new Date("nope"), now), { ok: false, reason: "invalid_date" });
});
