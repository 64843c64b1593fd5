/** Pair counts of a snapshot's judgments, keyed by (a, b, outcome), and their collapse into the rules' pair rows. */
import { PAIRWISE_OUTCOMES, type PairwiseOutcome } from "../../core/judgment.ts";
import type { PairRow } from "../../analytics/results/types.ts";
import type { PairCountRow } from "./queries.ts";

const TIE = PAIRWISE_OUTCOMES.indexOf("tie");
const BOTH_BAD = PAIRWISE_OUTCOMES.indexOf("both_bad");

/** At most this many dense counts (4 bytes each) across the counters of one aggregate. */
const DENSE_BUDGET = 1 << 22;

/** Pair counts keyed by (a, b, outcome) in one integer: a dense array when `counters` of them fit the budget, else a map. */
export class PairCounter {
  private readonly dense: Int32Array | null;
  private readonly sparse = new Map<number, number>();
  total = 0;
  constructor(
    private readonly subjects: number,
    counters = 1,
  ) {
    this.dense = subjects * subjects * 4 * counters <= DENSE_BUDGET ? new Int32Array(subjects * subjects * 4) : null;
  }
  add(a: number, b: number, outcome: number): void {
    const key = (a * this.subjects + b) * 4 + outcome;
    this.total += 1;
    if (this.dense) this.dense[key] = (this.dense[key] as number) + 1;
    else this.sparse.set(key, (this.sparse.get(key) ?? 0) + 1);
  }
  private entries(): [number, number][] {
    if (!this.dense) return [...this.sparse];
    const entries: [number, number][] = [];
    this.dense.forEach((n, key) => {
      if (n > 0) entries.push([key, n]);
    });
    return entries;
  }
  /**
   * The counts as collapsed pair rows (as collapseCounted makes them) over other subject numbers: `position` maps
   * each snapshot subject to its number there (−1: left out); rows sorted by (a, b). Integer work only, no ids;
   * summed in one typed array while the new numbers' pairs fit the dense budget, else in a map.
   */
  collapsed(position: Int32Array): PairRow[] {
    let numbers = 0;
    for (let i = 0; i < position.length; i++) numbers = Math.max(numbers, (position[i] as number) + 1);
    const dense = numbers * numbers * 4 <= DENSE_BUDGET;
    // per (low, high) pair of the new numbers: wins of low, wins of high, ties, both_bad
    const sums = dense ? new Float64Array(numbers * numbers * 4) : null;
    const sparse = dense ? null : new Map<number, number>();
    const add = (key: number, n: number) => {
      const outcome = key % 4;
      const pair = (key - outcome) / 4;
      const i = position[(pair - (pair % this.subjects)) / this.subjects] ?? -1;
      const j = position[pair % this.subjects] ?? -1;
      if (i < 0 || j < 0) return;
      const flipped = i > j;
      const at = ((flipped ? j : i) * numbers + (flipped ? i : j)) * 4 + (outcome === TIE ? 2 : outcome === BOTH_BAD ? 3 : (outcome === 0) !== flipped ? 0 : 1);
      if (sums) sums[at] = (sums[at] as number) + n;
      else sparse?.set(at, (sparse.get(at) ?? 0) + n);
    };
    if (this.dense) {
      const counts = this.dense;
      for (let key = 0; key < counts.length; key++) if (counts[key] !== 0) add(key, counts[key] as number);
    } else for (const [key, n] of this.sparse) add(key, n);
    const rows: PairRow[] = [];
    const row = (at: number, value: (slot: number) => number) => {
      const pair = at / 4;
      rows.push({ a: Math.floor(pair / numbers), b: pair % numbers, winsA: value(0), winsB: value(1), ties: value(2), bothBad: value(3) });
    };
    if (sums) {
      for (let at = 0; at < sums.length; at += 4) {
        if ((sums[at] as number) + (sums[at + 1] as number) + (sums[at + 2] as number) + (sums[at + 3] as number) > 0) row(at, (slot) => sums[at + slot] as number);
      }
    } else {
      const starts = [...new Set([...(sparse?.keys() ?? [])].map((at) => at - (at % 4)))].sort((x, y) => x - y);
      for (const at of starts) row(at, (slot) => sparse?.get(at + slot) ?? 0);
    }
    return rows;
  }
  /** Marks in `seen` every snapshot subject with a count. */
  markSubjects(seen: Uint8Array): void {
    for (const [key] of this.entries()) {
      const pair = (key - (key % 4)) / 4;
      seen[pair % this.subjects] = 1;
      seen[(pair - (pair % this.subjects)) / this.subjects] = 1;
    }
  }
  rows(subjectIds: readonly string[]): PairCountRow[] {
    return this.entries().map(([key, n]) => {
      const outcome = key % 4;
      const pair = (key - outcome) / 4;
      const b = pair % this.subjects;
      return { subject_a: subjectIds[(pair - b) / this.subjects] ?? "", subject_b: subjectIds[b] ?? "", outcome: PAIRWISE_OUTCOMES[outcome] as PairwiseOutcome, n };
    });
  }
}

