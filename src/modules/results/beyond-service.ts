/**
 * Reads what the beyond-Arena analyses need (slices and individual votes on the headline board, identity leaks,
 * invitation joins), runs them on the results worker, and gates what each reader sees: organisers get the
 * flagged participants by pseudonym and the board without them; everyone else gets counts of at least k
 * people, and the board without them only when at least k people were set aside.
 */
import type { BeyondArena, BeyondInput } from "../../analytics/results/beyond-arena.ts";
import type { IndividualVotes } from "../../analytics/results/individual-votes.ts";
import { rowTotal } from "../../analytics/results/pairs.ts";
import { SLICE_DIMENSIONS, type SliceInput } from "../../analytics/results/slices.ts";
import type { ResultsInput, RuleResult } from "../../analytics/results/types.ts";
import { winShareOfA } from "../../core/judgment.ts";
import { contributorMarker } from "../../core/k-anonymity.ts";
import type { Board } from "../../core/charter.ts";
import type { Role } from "../../core/evaluation.ts";
import type { Queryable } from "../../platform/db/pool.ts";
import * as bq from "./beyond-queries.ts";
import type { PairCountRow } from "./queries.ts";
import { runBeyondOffThread } from "./rules-thread.ts";
import type { JudgmentSnapshot } from "./judgment-snapshot.ts";
import * as t from "./snapshot-tallies.ts";
import { sliceCounters } from "./snapshot-slices.ts";

/** Above this many counted pairwise votes, individual votes are not read (bridging and the outlier test need them). */
export const MAX_INDIVIDUAL_VOTES = 200_000;

type Names = ReadonlyMap<string, string>;

/** `bt`: the published Bradley–Terry result, awaited only once the analyses' own inputs are ready (they are read meanwhile). */
export async function beyondArena(db: Queryable, evaluationId: string, snapshot: JudgmentSnapshot, input: ResultsInput, names: Names, bt: Promise<RuleResult | null>, options: { k: number; rounds: number; seed: number; board: Board }): Promise<BeyondArena> {
  const index = new Map(input.subjects.map((name, i) => [name, i]));
  const idx = (id: string) => index.get(names.get(id) ?? id) ?? -1;
  const total = input.pairs.reduce((sum, row) => sum + rowTotal(row), 0);
  const tooMany = total > MAX_INDIVIDUAL_VOTES;
  const [slices, joins] = await Promise.all([sliceInputs(db, evaluationId, snapshot, idx, options.board), bq.invitationJoins(db, evaluationId)]);
  const votes = tooMany ? null : packVotes(t.individualVotes(snapshot, options.board), idx);
  const leaks = t.identityLeakVotes(snapshot);
  const analysesInput: BeyondInput = {
    subjects: input.subjects,
    pairs: input.pairs,
    bt: await bt,
    k: options.k,
    rounds: options.rounds,
    seed: options.seed,
    slices,
    votes,
    ...(tooMany ? { votesMissing: `more than ${MAX_INDIVIDUAL_VOTES} counted votes: individual votes are not read` } : {}),
    leaks: leaks.map((l) => ({ participant: l.pseudonym, votes: l.votes })),
    joins: joins.map((j) => ({ participant: j.pseudonym, invitation: j.invitation, at: j.joined_at.getTime() })),
  };
  return runBeyondOffThread(analysesInput);
}

async function sliceInputs(db: Queryable, evaluationId: string, snapshot: JudgmentSnapshot, idx: (id: string) => number, board: Board): Promise<SliceInput[]> {
  const slices: SliceInput[] = [];
  const present = await bq.presentDimensions(db, evaluationId);
  for (const dimension of SLICE_DIMENSIONS.filter((d) => present.has(d))) {
    const position = Int32Array.from(snapshot.subjectIds, (id) => idx(id));
    for (const { key, counter, contributors } of sliceCounters(snapshot, dimension, board)) slices.push({ dimension, key, contributors, rows: counter.collapsed(position) });
  }
  return slices;
}

/** Votes as parallel arrays; participants numbered in the order of their first vote (not by id). */
function packVotes(rows: readonly { pseudonym: string; subject_a: string; subject_b: string; outcome: PairCountRow["outcome"] }[], idx: (id: string) => number): IndividualVotes {
  const participants: string[] = [];
  const number = new Map<string, number>();
  const who = new Int32Array(rows.length);
  const a = new Int32Array(rows.length);
  const b = new Int32Array(rows.length);
  const scoreA = new Float64Array(rows.length);
  rows.forEach((row, k) => {
    let n = number.get(row.pseudonym);
    if (n === undefined) {
      n = participants.push(row.pseudonym) - 1;
      number.set(row.pseudonym, n);
    }
    who[k] = n;
    a[k] = idx(row.subject_a);
    b[k] = idx(row.subject_b);
    scoreA[k] = winShareOfA(row.outcome);
  });
  return { participants, who, a, b, scoreA };
}

/** What a reader sees of the analyses: the flagged participants' pseudonyms only for organisers. */
export function beyondFor(view: BeyondArena, role: Role | null, k: number) {
  const organiser = role === "organiser";
  const { flagged, boardWithout, boardWithoutPublic, countMarkers, counts, tested, ...anomalies } = view.anomalies;
  const hidden = organiser ? [] : Object.values(countMarkers).filter((m) => m !== null);
  const gatedCounts = {
    sequentialOutlier: organiser || !countMarkers.sequentialOutlier ? counts.sequentialOutlier : null,
    sequentialOutlierWithinGroup: organiser || !countMarkers.sequentialOutlierWithinGroup ? counts.sequentialOutlierWithinGroup : null,
    identityLeak: organiser || !countMarkers.identityLeak ? counts.identityLeak : null,
    invitationBurst: organiser || !countMarkers.invitationBurst ? counts.invitationBurst : null,
    any: organiser || !countMarkers.any ? counts.any : null,
  };
  const withoutMarker = organiser || boardWithoutPublic || !boardWithout ? null : contributorMarker(counts.any, k);
  return {
    ...view,
    anomalies: {
      ...anomalies,
      tested: organiser || !contributorMarker(tested, k) ? tested : null,
      counts: gatedCounts,
      ...(hidden[0] ? { suppressed: hidden[0] } : {}),
      flagged: organiser ? flagged : null,
      boardWithout: withoutMarker ? null : boardWithout,
      ...(withoutMarker ? { boardWithoutSuppressed: withoutMarker } : {}),
    },
  };
}
