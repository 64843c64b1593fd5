/** Polis's vote statistics (repness.clj, stats.clj): smoothed proportions and z tests. */
import type { VoteMatrix } from "./matrix.ts";

/** one-proportion z test of Polis: 2·√(n+1)·((s+1)/(n+1) − ½) */
export function proportionTest(successes: number, trials: number): number {
  const s = successes + 1;
  const n = trials + 1;
  return 2 * Math.sqrt(n) * (s / n - 0.5);
}

/** two-proportion z test of Polis, with +1 added to each count; 0 when the pooled proportion is 1 */
export function twoProportionTest(successIn: number, successOut: number, trialsIn: number, trialsOut: number): number {
  const s1 = successIn + 1;
  const s2 = successOut + 1;
  const n1 = trialsIn + 1;
  const n2 = trialsOut + 1;
  const pooled = (s1 + s2) / (n1 + n2);
  if (pooled === 1) return 0;
  return (s1 / n1 - s2 / n2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
}

/** significant at 90% one-sided, Polis's threshold */
export function significant90(z: number): boolean {
  return z > 1.2816;
}

/** agree, disagree and all-vote (pass included) counts per statement over a set of participants */
export interface VoteCounts {
  readonly agree: Float64Array;
  readonly disagree: Float64Array;
  readonly seen: Float64Array;
}

export function countVotes(matrix: VoteMatrix, rows: Iterable<number>): VoteCounts {
  const n = matrix.statementIds.length;
  const counts = { agree: new Float64Array(n), disagree: new Float64Array(n), seen: new Float64Array(n) };
  for (const i of rows) {
    for (let k = matrix.rowStart[i]!; k < matrix.rowStart[i + 1]!; k++) {
      const j = matrix.column[k]!;
      const v = matrix.value[k]!;
      counts.seen[j]! += 1;
      if (v > 0) counts.agree[j]! += 1;
      else if (v < 0) counts.disagree[j]! += 1;
    }
  }
  return counts;
}
