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
   * each snapshot subject to its number there (−1: left out); rows sorted by (a, b). Integer work only, no ids.
   */
  collapsed(position: Int32Array): PairRow[] {
    const rows = new Map<number, { a: number; b: number; winsA: number; winsB: number; ties: number; bothBad: number }>();
    const width = position.length + 1;
    for (const [key, n] of this.entries()) {
      const outcome = key % 4;
      const pair = (key - outcome) / 4;
      const i = position[(pair - (pair % this.subjects)) / this.subjects] ?? -1;
      const j = position[pair % this.subjects] ?? -1;
      if (i < 0 || j < 0) continue;
      const flipped = i > j;
      const low = flipped ? j : i;
      const high = flipped ? i : j;
      let row = rows.get(low * width + high);
      if (!row) {
        row = { a: low, b: high, winsA: 0, winsB: 0, ties: 0, bothBad: 0 };
        rows.set(low * width + high, row);
      }
      if (outcome === TIE) row.ties += n;
      else if (outcome === BOTH_BAD) row.bothBad += n;
      else if ((outcome === 0) !== flipped) row.winsA += n;
      else row.winsB += n;
    }
    return [...rows.values()].sort((x, y) => x.a - y.a || x.b - y.b);
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

