/** Counting, win-rate matrix and average win rate (ties and both_bad half a win each side). */
import { judgedSubjects, winMatrices } from "./pairs.ts";
import type { PairRow } from "./types.ts";

/** Counting: total win shares of each subject. */
export function countingScores(subjectCount: number, rows: readonly PairRow[]): Float64Array {
  const { wins } = winMatrices(subjectCount, rows);
  return Float64Array.from(wins, (row) => row.reduce((sum, value) => sum + value, 0));
}

/** W[i][j] / N[i][j]: the share of i's comparisons with j that i won; null when never compared. */
export function winRateMatrix(subjectCount: number, rows: readonly PairRow[]): (number | null)[][] {
  const { wins, totals } = winMatrices(subjectCount, rows);
  return wins.map((row, i) => Array.from(row, (won, j) => {
    const total = totals[i]?.[j] ?? 0;
    return total > 0 ? won / total : null;
  }));
}

/** Average win rate: the mean, over the opponents a subject met, of its win rate against each; null when unjudged. */
export function averageWinRates(subjectCount: number, rows: readonly PairRow[]): (number | null)[] {
  const judged = judgedSubjects(subjectCount, rows);
  return winRateMatrix(subjectCount, rows).map((row, i) => {
    if (!judged[i]) return null;
    const met = row.filter((rate): rate is number => rate !== null);
    return met.reduce((sum, rate) => sum + rate, 0) / met.length;
  });
}
