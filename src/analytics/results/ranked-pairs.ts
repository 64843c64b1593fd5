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
  const reach = new Reach(n);
  for (const batch of strengthBatches(sortedMajorities(tally))) {
    const candidates = batch.filter((m) => !reach.has(m.loser, m.winner));
    const closing = candidates.length > 1 ? closingTogether(reach, candidates) : null;
    candidates.forEach((m, c) => {
      if (!closing?.[c]) reach.addEdge(m.winner, m.loser);
    });
  }
  return Int32Array.from({ length: n }, (_, i) => reach.count(i) - 1);
}

/**
 * Which of the candidates (none closing a cycle alone) close one together with others of their batch. A cycle
 * through candidate m runs from m's loser to m's winner by locked paths and other candidates' edges, so m closes
 * one exactly when it lies on a cycle of the graph over the candidates alone with an edge c → c′ whenever c's
 * loser reaches the winner of c′ in the locked graph: m's component there has more than one member.
 */
function closingTogether(reach: Reach, candidates: readonly Majority[]): boolean[] {
  const k = candidates.length;
  const next: number[][] = [];
  for (let from = 0; from < k; from++) {
    const loser = (candidates[from] as Majority).loser;
    const successors: number[] = [];
    for (let to = 0; to < k; to++) if (reach.has(loser, (candidates[to] as Majority).winner)) successors.push(to);
    next.push(successors);
  }
  const closing = candidates.map(() => false);
  for (const members of stronglyConnectedComponents(candidates.length, next)) {
    if (members.length > 1) members.forEach((c) => (closing[c] = true));
  }
  return closing;
}

/**
 * The locked graph's transitive closure as one bit row a subject (each reaches itself): whether one subject
 * reaches another is one bit, and locking an edge ORs the loser's row into every row that reaches the winner and
 * not yet the loser, at most O(n²/32) — where a search per majority would walk the whole locked graph each time.
 */
class Reach {
  private readonly words: number;
  private readonly bits: Uint32Array;

  constructor(private readonly n: number) {
    this.words = (n + 31) >>> 5;
    this.bits = new Uint32Array(n * this.words);
    for (let i = 0; i < n; i++) this.bits[i * this.words + (i >>> 5)] = 1 << (i & 31);
  }

  has(from: number, to: number): boolean {
    return (((this.bits[from * this.words + (to >>> 5)] as number) >>> (to & 31)) & 1) === 1;
  }

  addEdge(from: number, to: number): void {
    // already implied (the common case once an order settles): every row that reaches `from` holds `to`'s row
    if (this.has(from, to)) return;
    const { bits, words } = this;
    const source = to * words;
    for (let x = 0; x < this.n; x++) {
      // a closed row that holds `to` already holds everything `to` reaches
      if (!this.has(x, from) || this.has(x, to)) continue;
      const row = x * words;
      for (let w = 0; w < words; w++) bits[row + w] = (bits[row + w] as number) | (bits[source + w] as number);
    }
  }

  /** how many subjects `from` reaches, itself included */
  count(from: number): number {
    let total = 0;
    for (let w = 0; w < this.words; w++) {
      let v = this.bits[from * this.words + w] as number;
      v -= (v >>> 1) & 0x55555555;
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      total += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return total;
  }
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

/** The merged order as tie groups, best first (subjects with equal reach share a group). */
export function rankedPairsOrder(tally: PreferenceTally): number[][] {
  const scores = rankedPairsScores(tally);
  const distinct = [...new Set(scores)].sort((x, y) => y - x);
  return distinct.map((score) => [...scores.keys()].filter((i) => scores[i] === score));
}
