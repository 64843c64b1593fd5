/** Percentiles and ranks shared by the rules. */

/** The q-quantile of sorted values by linear interpolation (numpy's default, Hyndman–Fan type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const count = sorted.length;
  if (count === 0) return NaN;
  const position = (count - 1) * q;
  const below = Math.floor(position);
  const lower = sorted[below] ?? 0;
  const upper = sorted[Math.min(below + 1, count - 1)] ?? lower;
  return lower + (position - below) * (upper - lower);
}

export function median(values: readonly number[]): number {
  return quantileSorted([...values].sort((x, y) => x - y), 0.5);
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] ?? 0;
  return sum / values.length;
}

/** Competition rank from scores: 1 + number of higher scores (scores within 1e-9 relative count as equal). */
export function ranksFromScores(scores: readonly number[]): number[] {
  return scores.map((score) => 1 + scores.filter((other) => other > score + 1e-9 * Math.max(1, Math.abs(score))).length);
}

/** Arena's rank from intervals: 1 + number of subjects whose lower bound is above this one's upper bound. */
export function ranksFromIntervals(lower: readonly number[], upper: readonly number[]): number[] {
  return upper.map((top) => 1 + lower.filter((bottom) => bottom > top).length);
}
