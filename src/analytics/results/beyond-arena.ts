/**
 * What the arenas do not answer, computed in one pass beside the rules: boards per slice, the bridging board
 * across opinion groups, the cost to manipulate each rank, and vote anomalies with the board with and without
 * the flagged participants. Pure; the service reads the data and gates what each reader may see.
 */
import { contributorMarker, gateByContributors, isPublishable, type SuppressionMarker } from "../../core/k-anonymity.ts";
import { BURST_DEFAULTS, invitationBursts, OUTLIER_DEFAULTS, sequentialOutliers } from "./anomalies.ts";
import { fitStrengths, problemFromRows } from "./bt-problem.ts";
import { runBradleyTerry } from "./bt-rule.ts";
import { bridgingBoard, judgmentGroups, type BridgingBoard, type JudgmentGroups } from "./bridging.ts";
import { rowsOfVotes, type IndividualVotes } from "./individual-votes.ts";
import { manipulationCosts, type ManipulationCosts } from "./manipulation-cost.ts";
import { compareOrders, type OrderComparison } from "./sensitivity.ts";
import { sliceBoards, type SliceDimensionView, type SliceInput } from "./slices.ts";
import { ResultsError, type PairRow, type RuleResult } from "./types.ts";

export interface BeyondInput {
  readonly subjects: readonly string[];
  /** the counted pair rows the rules used */
  readonly pairs: readonly PairRow[];
  /** the published Bradley–Terry result, when shown */
  readonly bt: RuleResult | null;
  readonly k: number;
  readonly rounds: number;
  readonly seed: number;
  readonly slices: readonly SliceInput[];
  /** counted pairwise votes with who cast them (pseudonyms), or null when there are too many to read */
  readonly votes: IndividualVotes | null;
  /** why `votes` is null */
  readonly votesMissing?: string;
  /** per pseudonym, votes set aside because a response named its own subject */
  readonly leaks: readonly { readonly participant: string; readonly votes: number }[];
  /** joins through shared invitations (milliseconds since the epoch) */
  readonly joins: readonly { readonly participant: string; readonly invitation: string; readonly at: number }[];
}

/** Above this many subjects the manipulation search (a threshold solve and a few refits a pair, each refit O(pairs) a step) is skipped. */
export const MANIPULATION_MAX_SUBJECTS = 150;

/**
 * The slices' boards carry closed-form (sandwich) intervals: a bootstrap per slice cost seconds on a cold page,
 * for boards that are compared by their orders; their parameters say so.
 */
export const SLICE_INTERVALS = "sandwich";

export function runBeyondArena(input: BeyondInput) {
  return { ...beyondExceptManipulation(input), manipulation: manipulationView(input) };
}

/** Everything but the manipulation costs: the two halves take about as long, and can run on two threads at once. */
export function beyondExceptManipulation(input: BeyondInput) {
  const found = input.votes ? judgmentGroups(input.votes, input.subjects.length, input.seed) : null;
  return {
    categories: sliceBoards(input.subjects, input.slices, { k: input.k, rounds: Math.min(input.rounds, 200), seed: input.seed, overall: input.bt, intervals: SLICE_INTERVALS }) satisfies SliceDimensionView[],
    bridging: bridgingView(input, found),
    anomalies: anomaliesView(input, found),
  };
}

export type BeyondArena = ReturnType<typeof runBeyondArena>;

function capped(comparison: OrderComparison, limit = 25) {
  return { ...comparison, flipped: comparison.flipped.slice(0, limit), flippedCount: comparison.flipped.length };
}

function scores(subjects: readonly { name: string; score: number }[]): Map<string, number> {
  return new Map(subjects.map((s) => [s.name, s.score]));
}

function bridgingView(input: BeyondInput, found: JudgmentGroups | null) {
  const empty = (reason: string) => ({ source: "judgments" as const, groups: [], hiddenGroups: 0, unclustered: null, suppressed: null, board: null, vsBt: null, reason });
  if (!input.votes || !found) return empty(input.votesMissing ?? "individual votes are not available");
  if (found.groups.length < 2) return empty("fewer than two opinion groups could be found in the judgments");
  const UNCLUSTERED = "unclustered";
  // the unclustered are one more group of the partition when there are any (an empty group protects nobody)
  const unclustered = found.unclustered > 0 ? [{ key: UNCLUSTERED, count: found.unclustered }] : [];
  const gate = gateByContributors([...found.groups.map((g, i) => ({ key: String(i + 1), count: g.length })), ...unclustered], input.k);
  const shown = found.groups.flatMap((members, i) => (gate.shown.has(String(i + 1)) ? [{ id: i + 1, members }] : []));
  const hiddenGroups = found.groups.length - shown.length;
  const suppressed: SuppressionMarker | null = hiddenGroups > 0 ? ([...gate.hidden.values()][0] ?? null) : null;
  const board: BridgingBoard | null = bridgingBoard(input.subjects, input.votes, shown.map((g) => g.members), { rounds: Math.min(input.rounds, 200), seed: input.seed });
  return {
    source: "judgments" as const,
    groups: shown.map((g) => ({ id: g.id, participants: g.members.length })),
    hiddenGroups,
    unclustered: found.unclustered === 0 || gate.shown.has(UNCLUSTERED) ? found.unclustered : null,
    suppressed,
    board,
    vsBt: board && input.bt ? capped(compareOrders(scores(board.subjects), scores(input.bt.subjects))) : null,
    reason: board ? null : shown.length < 2 ? "fewer than two groups have at least k members" : "the groups' votes do not place every subject on one scale",
  };
}

export function manipulationView(input: BeyondInput): ManipulationCosts | null {
  if (!input.bt || input.subjects.length > MANIPULATION_MAX_SUBJECTS) return null;
  const topTier = input.bt.subjects.filter((s) => s.rank === 1).map((s) => s.name);
  return manipulationCosts(input.subjects, input.pairs, { topTier });
}

const REASONS = ["sequential_outlier", "identity_leak", "invitation_burst"] as const;
export type AnomalyReason = (typeof REASONS)[number];

/**
 * Which flagged participants vote unlike their own opinion group too: tested again against a board fitted on
 * their group's votes alone. A flag against the pooled model alone may be disagreement with the majority (a
 * minority camp's members are "unlikely" under the majority's board) rather than noise, or too little evidence
 * (a group's board is flatter, so the test has less power): organisers should read it so.
 */
function withinGroupFlags(votes: IndividualVotes, subjectCount: number, found: JudgmentGroups | null): Map<string, boolean> {
  const result = new Map<string, boolean>();
  const index = new Map(votes.participants.map((p, i) => [p, i]));
  for (const members of found?.groups ?? []) {
    const inGroup = new Set(members);
    const strengths = fitStrengths(problemFromRows(subjectCount, rowsOfVotes(votes, (p) => inGroup.has(p)), 1));
    if (!strengths) continue;
    for (const check of sequentialOutliers(votes, strengths)) {
      if (inGroup.has(index.get(check.participant) ?? -1)) result.set(check.participant, check.flagged);
    }
  }
  return result;
}

function anomaliesView(input: BeyondInput, found: JudgmentGroups | null) {
  const parameters = {
    test: "FastChat's sequential outlier test against the fitted Bradley–Terry model: product over a participant's decisive votes of 1/(2·p-value), pairs oriented with the model's favourite first; a flagged participant is tested again against their own opinion group's board (alsoWithinGroup): flagged only against the pooled board may be disagreement with the majority rather than noise",
    alpha: OUTLIER_DEFAULTS.alpha,
    minVotes: OUTLIER_DEFAULTS.minVotes,
    burst: `at least ${BURST_DEFAULTS.minJoins} joins through one invitation within ${BURST_DEFAULTS.windowMinutes} minutes`,
    identityLeak: "at least one vote set aside because a response named its own subject",
  };
  const flags = new Map<string, { reasons: Set<AnomalyReason>; decisiveVotes: number | null; crossedAt: number | null; withinGroup: boolean | null; leakVotes: number; burstJoins: number | null }>();
  const flag = (participant: string) => {
    const known = flags.get(participant) ?? { reasons: new Set<AnomalyReason>(), decisiveVotes: null, crossedAt: null, withinGroup: null, leakVotes: 0, burstJoins: null };
    flags.set(participant, known);
    return known;
  };
  let tested = 0;
  if (input.votes) {
    const strengths = fitStrengths(problemFromRows(input.subjects.length, input.pairs, 1));
    if (strengths) {
      const checks = sequentialOutliers(input.votes, strengths);
      tested = checks.length;
      const withinGroup = checks.some((c) => c.flagged) ? withinGroupFlags(input.votes, input.subjects.length, found) : new Map<string, boolean>();
      for (const check of checks.filter((c) => c.flagged)) {
        const entry = flag(check.participant);
        entry.reasons.add("sequential_outlier");
        entry.decisiveVotes = check.decisiveVotes;
        entry.crossedAt = check.at;
        entry.withinGroup = withinGroup.get(check.participant) ?? null;
      }
    }
  }
  for (const leak of input.leaks.filter((l) => l.votes > 0)) {
    const entry = flag(leak.participant);
    entry.reasons.add("identity_leak");
    entry.leakVotes = leak.votes;
  }
  for (const burst of invitationBursts(input.joins)) {
    for (const participant of burst.participants) {
      const entry = flag(participant);
      entry.reasons.add("invitation_burst");
      entry.burstJoins = burst.joins;
    }
  }
  const flagged = [...flags].map(([participant, f]) => ({ participant, reasons: REASONS.filter((r) => f.reasons.has(r)), decisiveVotes: f.decisiveVotes, crossedAt: f.crossedAt, alsoWithinGroup: f.withinGroup, leakVotes: f.leakVotes, burstJoins: f.burstJoins }))
    .sort((x, y) => (x.participant < y.participant ? -1 : 1));
  const count = (reason: AnomalyReason) => flagged.filter((f) => f.reasons.includes(reason)).length;
  const counts = { sequentialOutlier: count("sequential_outlier"), sequentialOutlierWithinGroup: flagged.filter((f) => f.alsoWithinGroup === true).length, identityLeak: count("identity_leak"), invitationBurst: count("invitation_burst"), any: flagged.length };
  return {
    parameters,
    note: "Flagged votes are not dropped: the board above counts them; the board without the flagged participants is shown beside it.",
    votesAvailable: input.votes !== null,
    ...(input.votes ? {} : { votesMissing: input.votesMissing ?? "individual votes are not available" }),
    tested,
    counts,
    flagged,
    boardWithout: boardWithout(input, new Set(flagged.map((f) => f.participant))),
    /** whether the board without them may be public: only when at least k people were set aside (else it differences them out) */
    boardWithoutPublic: flagged.length > 0 && isPublishable(flagged.length, input.k),
    countMarkers: Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, contributorMarker(n, input.k)])) as Record<keyof typeof counts, SuppressionMarker | null>,
  };
}

function boardWithout(input: BeyondInput, flagged: ReadonlySet<string>): RuleResult | null {
  if (!input.votes || flagged.size === 0) return null;
  const votes = input.votes;
  const rows = rowsOfVotes(votes, (p) => !flagged.has(votes.participants[p] ?? ""));
  try {
    return runBradleyTerry({ subjects: input.subjects, pairs: rows }, { rounds: Math.min(input.rounds, 200), seed: input.seed });
  } catch (error) {
    if (error instanceof ResultsError) return null;
    throw error;
  }
}
