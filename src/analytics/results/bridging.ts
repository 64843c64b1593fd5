/**
 * Bridging: a board of what is preferred across opinion groups, not within the largest one. Participants are
 * grouped by their judgments with Polis's method (analytics/opinion: each subject is a "statement", a
 * participant "agrees" when they picked it more often than not, "disagrees" when less); each group's
 * Bradley–Terry board is fitted on its own votes; the boards are centred and combined so that every group
 * counts equally whatever its size: the mean of the centred strengths (the board), and the weakest group's
 * view (the minimum, shown beside it). Intervals: bootstrap over participants within each group (the groups
 * themselves held fixed).
 *
 * Not Community Notes' matrix factorisation: with L2 on the raters' factors its intercept drifts toward the
 * majority's view when groups are unbalanced, which is what this board exists to avoid.
 */
import { computeOpinionMap } from "../opinion/map.ts";
import type { OpinionVote } from "../opinion/types.ts";
import { AppError } from "../../core/errors.ts";
import { createRng, randomInt } from "../rng.ts";
import { factoredHessian, toRating, type BtProblem } from "./bt.ts";
import { fitStrengths, isConnected, refitNear } from "./bt-problem.ts";
import { rowsOfVotes, type IndividualVotes } from "./individual-votes.ts";
import { quantileSorted, ranksFromIntervals } from "./quantile.ts";
import type { PairRow, SubjectResult } from "./types.ts";

export const BRIDGING_ASSUMPTION =
  "Each opinion group found in the judgments counts equally whatever its size; within a group, Bradley–Terry's assumption holds (one latent quality per subject, the same for everyone in the group). A subject ranks high only if it does well in every group on average; the weakest group's view is shown beside it.";

export interface JudgmentGroups {
  /** participant indices (into the votes' participants), largest group first */
  readonly groups: readonly (readonly number[])[];
  /** participants with too few judgments to be placed in a group */
  readonly unclustered: number;
}

/**
 * At most this many groups. Polis picks k up to 5 by silhouette, but on judgments it readily splits a large
 * camp in two on noise, and every group found then weighs as much as the minority: two sides of the main
 * disagreement (the first principal component) is the reading that keeps "each side counts equally" true.
 */
export const BRIDGING_MAX_GROUPS = 2;

/** Groups of participants by their judgments (Polis's PCA and k-means); empty when none can be found. */
export function judgmentGroups(votes: IndividualVotes, subjectCount: number, seed: number, maxGroups = BRIDGING_MAX_GROUPS): JudgmentGroups {
  const net = votes.participants.map(() => new Float64Array(subjectCount));
  const seen = votes.participants.map(() => new Uint8Array(subjectCount));
  for (let k = 0; k < votes.who.length; k++) {
    const who = votes.who[k] ?? 0;
    const a = votes.a[k] ?? 0;
    const b = votes.b[k] ?? 0;
    const margin = (votes.scoreA[k] ?? 0.5) - 0.5;
    (net[who] as Float64Array)[a] = ((net[who] as Float64Array)[a] ?? 0) + margin;
    (net[who] as Float64Array)[b] = ((net[who] as Float64Array)[b] ?? 0) - margin;
    (seen[who] as Uint8Array)[a] = 1;
    (seen[who] as Uint8Array)[b] = 1;
  }
  const opinionVotes: OpinionVote[] = [];
  votes.participants.forEach((participant, i) => {
    for (let s = 0; s < subjectCount; s++) {
      if (!seen[i]?.[s]) continue;
      const value = net[i]?.[s] ?? 0;
      opinionVotes.push({ participant, statement: String(s), vote: value > 1e-12 ? "agree" : value < -1e-12 ? "disagree" : "pass" });
    }
  });
  const statements = Array.from({ length: subjectCount }, (_, s) => ({ id: String(s), moderatedOut: false, isMeta: false }));
  try {
    const map = computeOpinionMap({ statements, participants: votes.participants, votes: opinionVotes }, { seed, maxGroups, clusterInitialisation: "kmeans++", groupRestarts: 20 });
    const index = new Map(votes.participants.map((p, i) => [p, i]));
    const groups = [...map.groups].sort((x, y) => x.id - y.id).map((g) => g.participants.map((p) => index.get(p) ?? -1).filter((i) => i >= 0));
    const grouped = groups.reduce((sum, g) => sum + g.length, 0);
    return { groups, unclustered: votes.participants.length - grouped };
  } catch (error) {
    if (error instanceof AppError) return { groups: [], unclustered: votes.participants.length };
    throw error;
  }
}

export interface BridgingBoard {
  readonly method: string;
  readonly assumption: string;
  readonly parameters: Readonly<Record<string, string | number>>;
  /** the mean of the groups' centred boards, with bootstrap intervals; best first */
  readonly subjects: readonly SubjectResult[];
  /** the weakest group's view of each subject (the minimum of the centred boards), same order as `subjects` */
  readonly weakest: readonly { readonly name: string; readonly score: number }[];
  /** each group's centred board, groups in the order given */
  readonly groupBoards: readonly (readonly { readonly name: string; readonly score: number }[])[];
}

export interface BridgingOptions {
  readonly rounds: number;
  readonly seed: number;
  /** virtual ties added to every compared pair in each group's fit (default 1), so a unanimous group has a finite board */
  readonly priorTies?: number;
}

/** Null when fewer than two groups, or the groups' votes do not put every subject on one scale. */
export function bridgingBoard(subjects: readonly string[], votes: IndividualVotes, groups: readonly (readonly number[])[], options: BridgingOptions): BridgingBoard | null {
  const priorTies = options.priorTies ?? 1;
  const usable = groups.filter((g) => g.length > 0);
  if (usable.length < 2) return null;
  const inGroup = new Set(usable.flat());
  const pairs = rowsOfVotes(votes, (p) => inGroup.has(p));
  if (!isConnected(subjects.length, pairs)) return null;
  const shares = participantShares(votes, pairs, subjects.length);
  const rows = { a: Int32Array.from(pairs, (r) => r.a), b: Int32Array.from(pairs, (r) => r.b) };
  const fitGroup = (members: readonly number[]) => fitStrengths(groupProblem(subjects.length, rows, shares, members, priorTies));
  const boards = usable.map(fitGroup);
  if (boards.some((b) => b === null)) return null;
  const fitted = boards as Float64Array[];
  const factors = usable.map((members, g) => factoredHessian(groupProblem(subjects.length, rows, shares, members, priorTies), fitted[g] as Float64Array));
  const mean = combine(fitted, "mean");
  const rng = createRng(options.seed);
  const samples: Float64Array[] = [];
  const draws = usable.map((members) => new Float64Array(members.length));
  for (let round = 0; round < options.rounds; round++) {
    // a resample's fit starts from its group's fit and Hessian: the same maximum, reached in fewer steps
    const resampled = usable.map((members, g) => {
      // the same draws as listing the drawn members, kept as how often each was drawn (each one's votes added once, times that)
      const times = draws[g] as Float64Array;
      times.fill(0);
      for (let i = 0; i < members.length; i++) {
        const drawn = randomInt(rng, members.length);
        times[drawn] = (times[drawn] as number) + 1;
      }
      return refitNear(groupProblem(subjects.length, rows, shares, members, priorTies, times), fitted[g] as Float64Array, factors[g] ?? null);
    });
    if (resampled.every((b): b is Float64Array => b !== null)) samples.push(combine(resampled, "mean"));
  }
  const bounds = subjects.map((_, i) => {
    const values = Float64Array.from(samples, (sample) => toRating(sample[i] ?? 0)).sort();
    return samples.length > 0 ? [quantileSorted(values, 0.025), quantileSorted(values, 0.975)] : [NaN, NaN];
  });
  const ranks = samples.length > 0 ? ranksFromIntervals(bounds.map((b) => b[0] ?? 0), bounds.map((b) => b[1] ?? 0)) : subjects.map(() => 1);
  const order = subjects.map((_, i) => i).sort((x, y) => (ranks[x] ?? 0) - (ranks[y] ?? 0) || (mean[y] ?? 0) - (mean[x] ?? 0) || x - y);
  const weakest = combine(fitted, "min");
  return {
    method: `Polis groups from the judgments (PCA, k-means from seeded k-means++ starts, the best of 20, at most ${BRIDGING_MAX_GROUPS} groups); a Bradley–Terry board per group, centred; mean over groups`,
    assumption: BRIDGING_ASSUMPTION,
    parameters: {
      combine: "mean of the groups' centred strengths (each group weight 1/groups); the weakest view is their minimum",
      prior: `${priorTies} virtual tie per compared pair in each group`,
      scale: "R = 400·r + 1000",
      intervals: "bootstrap over participants within each group, groups held fixed, percentiles 2.5 and 97.5",
      rounds: options.rounds,
      seed: options.seed,
      groups: usable.length,
    },
    subjects: order.map((i) => ({
      name: subjects[i] ?? "",
      score: toRating(mean[i] ?? 0),
      lower: samples.length > 0 ? (bounds[i]?.[0] ?? null) : null,
      upper: samples.length > 0 ? (bounds[i]?.[1] ?? null) : null,
      rank: ranks[i] ?? 1,
    })),
    weakest: order.map((i) => ({ name: subjects[i] ?? "", score: toRating(weakest[i] ?? 0) })),
    groupBoards: fitted.map((r) => order.map((i) => ({ name: subjects[i] ?? "", score: toRating(r[i] ?? 0) }))),
  };
}

/**
 * Each participant's win shares as (row index, a's share, b's share), rows being the pairs compared: as
 * rowWinShares of the participant's own collapsed rows (a tie or both_bad half a win each side), built from the
 * votes grouped by participant into one scratch row array (no row objects: 2,000 voters × 190 pairs made 380,000).
 */
function participantShares(votes: IndividualVotes, pairs: readonly PairRow[], subjectCount: number): { row: Int32Array; a: Float64Array; b: Float64Array }[] {
  const rowOf = new Int32Array(subjectCount * subjectCount).fill(-1);
  pairs.forEach((row, k) => (rowOf[row.a * subjectCount + row.b] = k));
  const count = votes.participants.length;
  const first = new Int32Array(count + 1);
  for (let k = 0; k < votes.who.length; k++) first[(votes.who[k] as number) + 1] = (first[(votes.who[k] as number) + 1] as number) + 1;
  for (let p = 0; p < count; p++) first[p + 1] = (first[p + 1] as number) + (first[p] as number);
  const byParticipant = new Int32Array(votes.who.length);
  const next = first.slice(0, count);
  for (let k = 0; k < votes.who.length; k++) byParticipant[(next[votes.who[k] as number] as number)++] = k;
  const shareA = new Float64Array(pairs.length);
  const shareB = new Float64Array(pairs.length);
  const owner = new Int32Array(pairs.length).fill(-1);
  return votes.participants.map((_, p) => {
    const touched: number[] = [];
    for (let v = first[p] as number; v < (first[p + 1] as number); v++) {
      const k = byParticipant[v] as number;
      const a = votes.a[k] as number;
      const b = votes.b[k] as number;
      const low = Math.min(a, b);
      const high = Math.max(a, b);
      if (a === b || low < 0 || high >= subjectCount) continue;
      const row = rowOf[low * subjectCount + high] as number;
      if (row < 0) continue;
      if (owner[row] !== p) {
        owner[row] = p;
        shareA[row] = 0;
        shareB[row] = 0;
        touched.push(row);
      }
      const lowScore = a === low ? (votes.scoreA[k] as number) : 1 - (votes.scoreA[k] as number);
      const [winA, winB] = lowScore === 1 ? [1, 0] : lowScore === 0 ? [0, 1] : [0.5, 0.5];
      shareA[row] = (shareA[row] as number) + winA;
      shareB[row] = (shareB[row] as number) + winB;
    }
    return { row: Int32Array.from(touched), a: Float64Array.from(touched, (row) => shareA[row] as number), b: Float64Array.from(touched, (row) => shareB[row] as number) };
  });
}

/** The group's problem: every member's win shares (times `times[j]` for the j-th member when given, else once). */
function groupProblem(subjectCount: number, rows: { a: Int32Array; b: Int32Array }, shares: ReturnType<typeof participantShares>, members: readonly number[], priorTies: number, times?: Float64Array): BtProblem {
  const winsA = new Float64Array(rows.a.length).fill(0.5 * priorTies);
  const winsB = new Float64Array(rows.a.length).fill(0.5 * priorTies);
  for (let j = 0; j < members.length; j++) {
    const weight = times ? (times[j] as number) : 1;
    const own = weight > 0 ? shares[members[j] as number] : undefined;
    if (!own) continue;
    const { row, a, b } = own;
    for (let k = 0; k < row.length; k++) {
      const at = row[k] as number;
      winsA[at] = (winsA[at] as number) + weight * (a[k] as number);
      winsB[at] = (winsB[at] as number) + weight * (b[k] as number);
    }
  }
  return { n: subjectCount, a: rows.a, b: rows.b, winsA, winsB };
}

/** Strengths are centred by the fit (mean 0), so groups' boards are on one footing before they are combined. */
function combine(boards: readonly Float64Array[], how: "mean" | "min"): Float64Array {
  const n = boards[0]?.length ?? 0;
  return Float64Array.from({ length: n }, (_, i) => {
    const values = boards.map((r) => r[i] ?? 0);
    return how === "mean" ? values.reduce((sum, v) => sum + v, 0) / values.length : Math.min(...values);
  });
}
