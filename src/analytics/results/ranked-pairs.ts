/** Ranked pairs (Tideman), as OpenAssistant merged rankings: lock majorities, strongest first, skipping cycles. */
import { stronglyConnectedComponents } from "./graph.ts";
import type { PairRow, RankingBallot } from "./types.ts";

/** preferences[i][j]: how many judgments put i strictly above j. */
export type PreferenceTally = Float64Array[];

export function tallyFromBallots(subjectCount: number, ballots: readonly RankingBallot[]): PreferenceTally {
  const tally = Array.from({ length: subjectCount }, () => new Float64Array(subjectCount));
  for (const ballot of ballots) {
    ballot.groups.forEach((group, position) => {
      const lower = ballot.groups.slice(position + 1).flat();
      for (const above of group) {
        const row = tally[above] as Float64Array;
        for (const below of lower) row[below] = (row[below] ?? 0) + 1;
      }
    });
  }
  return tally;
}

/** From pair counts: wins of one side over the other (ties and both_bad express no preference). */
export function tallyFromPairs(subjectCount: number, rows: readonly PairRow[]): PreferenceTally {
  const tally = Array.from({ length: subjectCount }, () => new Float64Array(subjectCount));
  for (const row of rows) {
    (tally[row.a] as Float64Array)[row.b] = ((tally[row.a] as Float64Array)[row.b] ?? 0) + row.winsA;
    (tally[row.b] as Float64Array)[row.a] = ((tally[row.b] as Float64Array)[row.a] ?? 0) + row.winsB;
  }
  return tally;
}

interface Majority {
  readonly winner: number;
  readonly loser: number;
  readonly margin: number;
  readonly support: number;
}

/**
 * The locked graph's reach: score[i] = how many subjects i is above once majorities are locked in,
 * strongest first (margin, then winning support). Majorities of equal strength are taken together and
 * never ordered by label: each that would close a cycle with the graph so far is skipped, and so are
 * those that would close a cycle only together with others of the same strength.
 */
export function rankedPairsScores(tally: PreferenceTally): Int32Array {
  const n = tally.length;
  const locked: number[][] = Array.from({ length: n }, () => []);
  for (const batch of strengthBatches(sortedMajorities(tally))) {
    const candidates = batch.filter((m) => !reaches(locked, m.loser, m.winner));
    // one candidate that closes no cycle alone closes none: lock it without the component search
    if (candidates.length === 1) {
      const [m] = candidates as [Majority];
      locked[m.winner]?.push(m.loser);
      continue;
    }
    const trial = locked.map((successors) => [...successors]);
    for (const m of candidates) trial[m.winner]?.push(m.loser);
    const componentOf = new Int32Array(n);
    stronglyConnectedComponents(n, trial).forEach((members, k) => members.forEach((i) => (componentOf[i] = k)));
    for (const m of candidates) {
      if (componentOf[m.winner] !== componentOf[m.loser]) locked[m.winner]?.push(m.loser);
    }
  }
  return Int32Array.from({ length: n }, (_, i) => reachableFrom(locked, i).size - 1);
}

function sortedMajorities(tally: PreferenceTally): Majority[] {
  const majorities: Majority[] = [];
  tally.forEach((row, i) =>
    row.forEach((support, j) => {
      const against = tally[j]?.[i] ?? 0;
      if (support > against) majorities.push({ winner: i, loser: j, margin: support - against, support });
    }),
  );
  return majorities.sort((x, y) => y.margin - x.margin || y.support - x.support);
}

function strengthBatches(sorted: readonly Majority[]): Majority[][] {
  const batches: Majority[][] = [];
  for (const majority of sorted) {
    const last = batches[batches.length - 1];
    const head = last?.[0];
    if (last && head && head.margin === majority.margin && head.support === majority.support) last.push(majority);
    else batches.push([majority]);
  }
  return batches;
}

function reaches(graph: readonly (readonly number[])[], from: number, to: number): boolean {
  return reachableFrom(graph, from).has(to);
}

function reachableFrom(graph: readonly (readonly number[])[], start: number): Set<number> {
  const seen = new Set<number>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const node = stack.pop() ?? start;
    for (const next of graph[node] ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

/** The merged order as tie groups, best first (subjects with equal reach share a group). */
export function rankedPairsOrder(tally: PreferenceTally): number[][] {
  const scores = rankedPairsScores(tally);
  const distinct = [...new Set(scores)].sort((x, y) => y - x);
  return distinct.map((score) => [...scores.keys()].filter((i) => scores[i] === score));
}
